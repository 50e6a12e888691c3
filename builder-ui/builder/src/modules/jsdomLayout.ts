// For component tests only: jsdom lays nothing out, and CodeMirror measures text ranges, which
// jsdom's Range cannot. Each measure returns an empty box.
export function stubRangeLayout(): void {
  const none = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) }) as DOMRect;
  Range.prototype.getBoundingClientRect ??= none;
  Range.prototype.getClientRects ??= () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
}
