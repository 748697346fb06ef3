import { h } from './dom.js';
export function createDivide() {
  return { root: h('div', null, 'todo'), active: false, activate() { this.active = true; }, deactivate() { this.active = false; }, onClick() { return false; } };
}
