import type { LocalizedText } from '@s3404/core';
import { MIN_TEXT_PX } from './constants.js';

/** How visible the panel must be: effective opacity over the flat tree. */
const MIN_OPACITY = 0.9;

const reason = (fr: string, en: string): LocalizedText => ({ fr, en });

/** The parent in the flat tree: through slots and out of shadow roots. */
function flatParent(el: Element): Element | null {
  if (el.assignedSlot) return el.assignedSlot;
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  return root !== null && 'host' in root ? (root as ShadowRoot).host : null;
}

/**
 * Why the signing context is not legible on screen right now, or null when
 * it is (SIG-1: the timestamp and the bordereau identifier must be shown
 * legibly while the person signs). Styles of the page cannot reach inside
 * the pad's shadow root, but they can act on the pad and its ancestors, so
 * this measures what is actually rendered:
 *
 * 1. the pad is in the document and `checkVisibility` (display, `visibility`,
 *    `opacity: 0`, `content-visibility`) sees the panel;
 * 2. no ancestor in the flat tree blurs, masks, clips or blends it (`filter`,
 *    `mask`, `clip-path`, `mix-blend-mode`), and their opacities multiply to
 *    at least 0.9;
 * 3. every line of the panel has a rendered text size of at least 18 CSS px
 *    (a `transform: scale(0.1)` or a `zoom` on the host fails here) and lies
 *    wholly inside the viewport;
 * 4. nothing covers it: a hit test at three points of every line finds the
 *    pad, and inside the pad that line;
 * 5. where the browser has IntersectionObserver v2 (`trackVisibility`), its
 *    last verdict (`occluded`) — which also sees overlays that let pointer
 *    events through — is not "hidden".
 */
export function displayHiddenReason(host: HTMLElement, panel: HTMLElement, rows: readonly HTMLElement[], occluded: boolean): LocalizedText | null {
  const view = host.ownerDocument.defaultView;
  const shadow = host.shadowRoot;
  if (!host.isConnected || view === null || shadow === null) return reason("le composant n'est pas affiché dans la page", 'the component is not in the page');
  if (typeof panel.checkVisibility === 'function' && !panel.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) {
    return reason('masqué par le style de la page', "hidden by the page's style");
  }
  if (view.getComputedStyle(panel).visibility !== 'visible') return reason('masqué par le style de la page', "hidden by the page's style");
  let opacity = 1;
  for (let el: Element | null = panel; el !== null; el = flatParent(el)) {
    const cs = view.getComputedStyle(el);
    opacity *= Number.parseFloat(cs.opacity);
    if (cs.filter !== 'none' && cs.filter !== '') return reason('filtre appliqué par la page', 'a filter applied by the page');
    if (cs.clipPath !== 'none' && cs.clipPath !== '') return reason('découpé par la page', 'clipped by the page');
    const mask = cs.maskImage || (cs as unknown as Record<string, string>)['webkitMaskImage'] || 'none';
    if (mask !== 'none') return reason('masque appliqué par la page', 'a mask applied by the page');
    if (cs.mixBlendMode !== 'normal' && cs.mixBlendMode !== '') return reason('mélangé au fond par la page', 'blended by the page');
  }
  if (!(opacity >= MIN_OPACITY)) return reason('rendu transparent par la page', 'made transparent by the page');
  const vw = view.innerWidth;
  const vh = view.innerHeight;
  const root = host.getRootNode() as Document | ShadowRoot;
  for (const row of rows) {
    const rect = row.getBoundingClientRect();
    if (!(rect.width >= 1 && rect.height >= 1)) return reason('une ligne du contexte est vide', 'a line of the context is empty');
    const layoutHeight = row.offsetHeight;
    const scale = layoutHeight > 0 ? rect.height / layoutHeight : 0;
    const fontPx = Number.parseFloat(view.getComputedStyle(row).fontSize) * scale;
    if (!(fontPx >= MIN_TEXT_PX - 0.5)) {
      return reason(`texte réduit à ${fontPx.toFixed(1)} px, ${MIN_TEXT_PX} px au moins`, `text shrunk to ${fontPx.toFixed(1)} px, at least ${MIN_TEXT_PX} px`);
    }
    if (rect.left < -0.5 || rect.top < -0.5 || rect.right > vw + 0.5 || rect.bottom > vh + 0.5) {
      return reason("hors de l'écran", 'off screen');
    }
    const y = rect.top + rect.height / 2;
    for (const f of [0.15, 0.5, 0.85]) {
      const x = rect.left + rect.width * f;
      const hit = root.elementFromPoint(x, y);
      const inner = shadow.elementFromPoint(x, y);
      if (hit !== host || inner === null || !row.contains(inner)) return reason('recouvert par un autre élément', 'covered by another element');
    }
  }
  if (occluded) return reason('recouvert ou déformé (IntersectionObserver)', 'covered or distorted (IntersectionObserver)');
  return null;
}
