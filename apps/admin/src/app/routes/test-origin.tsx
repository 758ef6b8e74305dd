import { useCandidate } from '../../features/candidate/index.js';
import { TestOriginPanel } from '../../features/simulate/index.js';
import { useSlug } from './tenant-layout.js';

export function TestOriginRoute() {
  const slug = useSlug();
  const candidate = useCandidate(slug);
  const c = candidate.data?.candidate;
  return <TestOriginPanel key={slug} slug={slug} candidate={c ? { version: c.version } : null} />;
}
