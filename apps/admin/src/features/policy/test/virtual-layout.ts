// jsdom lays nothing out: give the origins list's scroll box and its rows sizes, so the virtualizer
// (which reads clientHeight/clientWidth of the box and offsetHeight of each row) shows rows in tests.
const sized = (el: HTMLElement, cls: string, size: number) =>
  el.classList.contains(cls) ? size : 0;

Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return sized(this, 'origins-scroll', 560);
  },
});
Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return sized(this, 'origins-scroll', 1000);
  },
});
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return sized(this, 'origins-row', 40);
  },
});
