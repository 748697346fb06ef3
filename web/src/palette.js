// The palette: the server's one table of colours and legends (package
// domain), handed to the viewer in the style's metadata ("sit:palette").
// The viewer keeps no colour of its own for a zone class, a speed band or
// an area class. Pure: unit-tested with node --test.

// paletteOf reads the palette of a style; a style without one (a foreign
// style server) gives an empty palette whose colours are all "other".
export function paletteOf(style) {
  const raw = style?.metadata?.['sit:palette'] || {};
  const colors = raw.colors || {};
  const legends = Object.fromEntries((raw.legends || []).map((l) => [l.property, l]));
  const kinds = raw.kinds || [];
  const drawOrder = raw.draw_order || [];
  const other = colors.other || 'gray'; // a foreign style, without SIT's palette
  return {
    raw,
    kinds,
    other,
    color: (name) => colors[name] || other,
    legend: (property) => legends[property] || { property, entries: [], other },
    // colorOf is the colour of a value of a property (zone_class, speed_band, area_class).
    colorOf: (property, value) => (legends[property]?.entries || []).find((e) => e.value === value)?.color || legends[property]?.other || other,
    // kindRank orders kinds as people read them (layer panel, click-info).
    kindRank: (kind) => {
      const i = kinds.indexOf(kind);
      return i < 0 ? kinds.length : i;
    },
    drawRank: (kind) => {
      const i = drawOrder.indexOf(kind);
      return i < 0 ? drawOrder.length : i;
    },
    ftth: raw.ftth_share || { steps: [], no_data: colors.no_data || other },
  };
}

// matchExpr is a MapLibre expression colouring by a property through the
// palette's legend of it.
export function matchExpr(palette, property) {
  const l = palette.legend(property);
  const pairs = l.entries.flatMap((e) => [e.value, e.color]);
  return pairs.length ? ['match', ['coalesce', ['get', property], ''], ...pairs, l.other || palette.other] : (l.other || palette.other);
}

// stepExpr colours a numeric expression by the steps of a step legend
// (the FTTH share); value < 0 or missing is no data.
export function stepExpr(steps, value, noData) {
  if (!steps.length) return noData;
  return ['step', value, noData, ...steps.flatMap((s) => [s.from, s.color])];
}

// stepRanges names the classes of a step legend: "0–20%", …, "80–100%".
export function stepRanges(l) {
  const st = l.steps || [];
  return st.map((s, i) => ({ color: s.color, label: `${s.from}–${i < st.length - 1 ? st[i + 1].from : (l.max ?? 100)}${l.unit || ''}` }));
}
