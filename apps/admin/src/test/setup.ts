import '@testing-library/jest-dom/jest-globals';
import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default: a timing threshold that fails on a busy machine (npm test runs
// beside other suites and benchmarks). They wait for behaviour, so they may wait long; the test timeout bounds it.
configure({ asyncUtilTimeout: 15_000 });

// jsdom lacks a few browser APIs Mantine uses.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub });
Element.prototype.scrollIntoView = function scrollIntoView() {};
