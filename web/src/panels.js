// The two panels — the side panel (layers, or the dashboard) and the info
// panel (a parcel, a click, the report) — never cover each other: on a
// phone they are bottom sheets and one is open at a time; on a wide screen
// the info panel sits beside the side panel, and when there is no room
// for it there, the side panel folds away until the info panel closes.
// Entering the dashboard closes the info panel.

export const PHONE_MAX_WIDTH = 720;
const GAP = 12;
const MIN_INFO_WIDTH = 300;

// infoFits says whether the info panel fits beside the side panel. Pure:
// unit-tested with node --test.
export function infoFits({ stageWidth, sideOpen, sideWidth }) {
  if (stageWidth <= PHONE_MAX_WIDTH) return !sideOpen;
  return !sideOpen || stageWidth - sideWidth - 3 * GAP >= MIN_INFO_WIDTH;
}

// rectsOverlap tells two DOMRect-like boxes that share some area.
export function rectsOverlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function createPanels({ side, sideTitle, info, fab, stage, onInfoClosed }) {
  let foldedForInfo = false; // the side panel folded to make room: reopen it after
  const sideOpen = () => !side.classList.contains('collapsed');
  const setSide = (open, focus = false) => {
    side.classList.toggle('collapsed', !open);
    fab.hidden = open;
    fab.setAttribute('aria-expanded', String(open));
    if (open && focus) sideTitle.focus();
  };
  const fits = () => infoFits({ stageWidth: stage.clientWidth, sideOpen: sideOpen(), sideWidth: side.offsetWidth });
  const makeRoom = () => {
    if (fits()) return;
    foldedForInfo = true;
    setSide(false);
  };
  const api = {
    setSide,
    sideOpen,
    // openSide opens the side panel; on a phone the info sheet closes.
    openSide(focus = false) {
      foldedForInfo = false;
      if (!info.hidden && stage.clientWidth <= PHONE_MAX_WIDTH) api.closeInfo();
      setSide(true, focus);
    },
    closeSide() {
      foldedForInfo = false;
      setSide(false);
    },
    openInfo() {
      info.classList.remove('wide');
      info.hidden = false;
      makeRoom();
    },
    closeInfo() {
      if (info.hidden) return;
      info.hidden = true;
      info.classList.remove('wide');
      if (foldedForInfo) setSide(true);
      foldedForInfo = false;
      onInfoClosed?.();
    },
    // setInfoWide widens the info panel for the report.
    setInfoWide(wide) {
      info.classList.toggle('wide', wide);
      if (wide) makeRoom();
    },
  };
  return api;
}
