// Pure steps of building the map's style from the server's: merging a
// base map, invisible fills to click outline-only polygon layers, polygon
// layers drawn as circles turned into fills. Unit-tested with node --test.

const isPoly = (g) => /Polygon/.test(g || '');

// withPaper lays the palette's paper under the server's style: the style
// is an overlay without a background (a GIS would draw one over its other
// layers), the viewer's map needs one.
export function withPaper(style) {
  const paper = style.metadata?.['sit:palette']?.colors?.background;
  if (!paper || style.layers.some((l) => l.type === 'background')) return style;
  return { ...style, layers: [{ id: 'background', type: 'background', paint: { 'background-color': paper } }, ...style.layers] };
}

// mergeBasemap puts a base map under the server's layers: a full style
// (its layers first, the server's background dropped) or extra sources and
// layers right above the background. Base map layers are marked
// metadata.sit:basemap (the panel gives them one entry).
export function mergeBasemap(style, baseInfo) {
  if (!baseInfo) return style;
  const mark = (l) => ({ ...l, metadata: { ...(l.metadata || {}), 'sit:basemap': true } });
  if (baseInfo.style) {
    const b = baseInfo.style;
    return {
      ...b,
      metadata: { ...(b.metadata || {}), ...(style.metadata || {}) },
      sources: { ...b.sources, ...style.sources },
      layers: [...b.layers.map(mark), ...style.layers.filter((l) => l.type !== 'background')],
    };
  }
  const layers = [...style.layers];
  const bg = layers.findIndex((l) => l.type === 'background');
  layers.splice(bg + 1, 0, ...baseInfo.layers.map(mark));
  return { ...style, sources: { ...style.sources, ...baseInfo.sources }, layers };
}

// addHitLayers gives polygon layers drawn as outlines only (boundaries,
// statistical areas) an invisible fill, so that a click inside one says
// which it is.
export function addHitLayers(style, catalog) {
  const layers = [...style.layers];
  const styled = new Map();
  for (const l of layers) if (l['source-layer']) styled.set(l['source-layer'], [...(styled.get(l['source-layer']) || []), l]);
  for (const [name, ls] of styled) {
    const c = catalog.find((x) => x.name === name);
    if (!c || !isPoly(c.geometryType) || ls.some((l) => l.type === 'fill')) continue;
    const first = ls[0];
    layers.splice(layers.indexOf(first), 0, {
      id: `${name}-hit`, type: 'fill', source: first.source, 'source-layer': name,
      ...(first.minzoom != null ? { minzoom: first.minzoom } : {}), ...(first.maxzoom != null ? { maxzoom: first.maxzoom } : {}),
      paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
    });
  }
  return { ...style, layers };
}

// polygonCircles turns circle layers of polygon layers into fills (a
// circle layer would draw dots at the vertices).
export function polygonCircles(style, catalog, fallbackColor) {
  const layers = style.layers.map((l) => {
    const c = catalog.find((x) => x.name === l['source-layer']);
    if (!c || l.type !== 'circle' || !isPoly(c.geometryType)) return l;
    return { ...l, type: 'fill', paint: { 'fill-color': l.paint?.['circle-color'] || fallbackColor, 'fill-opacity': 0.6 } };
  });
  return { ...style, layers };
}
