// Numbers, areas, percentages and dates as the viewer writes them: one
// policy for every panel, the same as the zoning report's (reports/format.go).
//   counts       grouped from four digits: 1.979, 10.760 (it-IT's Intl
//                rule leaves 4-digit numbers ungrouped: useGrouping 'always')
//   areas        m² with two decimals, as the report: 3.858,57 m²
//   shares       one decimal: 68,0%, 95,4%
//   pp changes   one decimal with a sign: +1,2 / −0,4 / ±0,0
// Pure: no DOM, no globals; unit-tested with node --test (web/test).

export function localeOf(lang) {
  return lang === 'en' ? 'en-GB' : 'it-IT';
}

export function makeFormat(lang) {
  const locale = localeOf(lang);
  const int = new Intl.NumberFormat(locale, { useGrouping: 'always', maximumFractionDigits: 0 });
  const dec1 = new Intl.NumberFormat(locale, { useGrouping: 'always', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dec2 = new Intl.NumberFormat(locale, { useGrouping: 'always', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const missing = (n) => n == null || n === '' || Number.isNaN(Number(n));
  const num = (n) => (missing(n) ? '–' : int.format(Number(n)));
  const num1 = (n) => (missing(n) ? '–' : dec1.format(Number(n)));
  // percent100 writes a share given in percent (0–100).
  const percent100 = (v) => (missing(v) ? '–' : `${dec1.format(Number(v))}%`);
  return {
    locale,
    num,
    num1,
    // pct writes a fraction (0–1) as a percentage.
    pct: (x) => (missing(x) ? '–' : percent100(Number(x) * 100)),
    percent100,
    area: (m2) => (missing(m2) ? '–' : `${dec2.format(Number(m2))} m²`),
    // pp writes a change in percentage points with its sign.
    pp: (v) => {
      if (missing(v)) return '–';
      const r = Math.round(Number(v) * 10) / 10;
      return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${dec1.format(Math.abs(r))}`;
    },
    date: (s) => {
      if (!s) return '–';
      const dt = new Date(`${String(s).slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(dt.getTime()) ? String(s) : dt.toLocaleDateString(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
    },
  };
}

// comuneLabel names a comune with its Belfiore code: "Lucca (E715)"; the
// code alone when the server did not name it.
export function comuneLabel(name, code) {
  if (name && code) return `${name} (${code})`;
  return name || code || '';
}
