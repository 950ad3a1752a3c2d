import { MIN_TEXT_PX } from './constants.js';

/**
 * The pad's style sheet, inside its shadow root: the host page's CSS cannot
 * reach the panel's text (SIG-1). `.pad` resets every property with
 * `all: initial`, so inherited values of the page (a white `color`, a
 * zero `font-size`, `-webkit-text-security`, a symbol font…) stop at the
 * pad; only `visibility` is inherited on purpose, so that a host hidden
 * with `visibility: hidden` is seen as hidden and refused, not drawn
 * over. No `::part` is exposed. Text is in CSS pixels (not `rem`, which the
 * page controls), ≥ 18 px for a 10-inch tablet; contrasts ≥ 7:1 for text,
 * ≥ 4.5:1 for the buttons (WCAG 2.2 AA). Nothing moves: no transition, no
 * animation (`prefers-reduced-motion` needs no exception).
 */
export const STYLES = `
:host { display: block; }
.pad {
  all: initial; visibility: inherit; display: flex; flex-direction: column; gap: 12px; box-sizing: border-box; width: 100%;
  padding: 12px; background: #ffffff; color: #111111; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  font-size: 20px; line-height: 1.35; text-align: start; -webkit-text-size-adjust: none; text-size-adjust: none;
}
.pad *, .pad *::before, .pad *::after { box-sizing: border-box; }
.context { display: block; margin: 0; padding: 10px 14px; border: 2px solid #1a1a1a; border-radius: 8px; background: #ffffff; color: #111111; }
.context h2 { display: block; margin: 0 0 4px; font-size: ${MIN_TEXT_PX + 2}px; font-weight: 700; color: #111111; }
.rows { display: block; margin: 0; padding: 0; }
.row { display: block; width: fit-content; max-width: 100%; margin: 0; padding: 0; font-size: ${MIN_TEXT_PX + 2}px; color: #111111; white-space: normal; overflow-wrap: anywhere; }
.row .label { font-weight: 700; }
.row[data-key="timestamp"], .row[data-key="bordereau"], .row[data-key="day"] { font-size: ${MIN_TEXT_PX + 4}px; }
.row[data-key="hash"] .value { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: ${MIN_TEXT_PX}px; word-break: break-all; }
.waiting { display: block; margin: 0; font-size: ${MIN_TEXT_PX + 2}px; color: #111111; }
.surface {
  position: relative; display: block; margin: 0 auto; width: min(100%, calc(58vh * var(--ratio, 2.5))); aspect-ratio: var(--ratio, 2.5);
  border: 2px solid #444444; border-radius: 8px; background: #ffffff; overflow: hidden; touch-action: none;
}
canvas {
  position: absolute; inset: 0; display: block; width: 100%; height: 100%; touch-action: none; user-select: none; -webkit-user-select: none;
  -webkit-touch-callout: none; -webkit-tap-highlight-color: transparent; cursor: crosshair; outline: none;
}
canvas:focus-visible { outline: 3px solid #0b5cad; outline-offset: -5px; }
.baseline { position: absolute; left: 6%; right: 6%; bottom: 24%; border-bottom: 2px dashed #767676; pointer-events: none; }
.hint { position: absolute; left: 6%; bottom: calc(24% - ${MIN_TEXT_PX * 1.6}px); margin: 0; font-size: ${MIN_TEXT_PX}px; color: #595959; pointer-events: none; }
.hint[hidden] { display: none; }
.error { display: block; margin: 0; padding: 8px 12px; border: 2px solid #a00000; border-radius: 8px; font-size: ${MIN_TEXT_PX + 2}px; font-weight: 700; color: #a00000; background: #ffffff; }
.error:empty { display: none; }
.status { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; justify-content: flex-end; margin: 0; }
button {
  all: initial; box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center; min-width: 48px; min-height: 48px; padding: 8px 20px;
  border: 2px solid #1a1a1a; border-radius: 8px; background: #ffffff; color: #111111; font-family: inherit; font-size: ${MIN_TEXT_PX + 2}px; font-weight: 600;
  line-height: 1.2; cursor: pointer; touch-action: manipulation; visibility: inherit;
}
button.primary { background: #0b5cad; border-color: #0b5cad; color: #ffffff; }
button:disabled { cursor: not-allowed; background: #f0f0f0; border-color: #8a8a8a; color: #5c5c5c; }
button:focus-visible { outline: 3px solid #0b5cad; outline-offset: 3px; }
button.primary:focus-visible { outline-color: #111111; }
@media (forced-colors: active) { .surface, .context, button { border-color: CanvasText; } }
`;
