// The map of SIT's OGC API HTML pages (built by web/build.mjs; do not edit).
const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = new URL('./assets/page-BSPJ25XJ.css', import.meta.url).href;
document.head.append(css);
import('./assets/page-ZPA267S7.js');
