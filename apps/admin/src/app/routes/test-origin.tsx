import { useCandidate } from '../../features/candidate/index.js';
import { TestOriginPanel } from '../../features/simulate/index.js';
import { useSlug } from './tenant-layout.js';

export function TestOriginRoute() {
  const slug = useSlug();
  const candidate = useCandidate(slug);
  const c = candidate.data?.candidate;
  return (
    <TestOriginPanel
      key={slug}
      slug={slug}
      candidate={c ? { policy: withoutMeta(c), version: c.version } : null}
    />
  );
}

/** The candidate as a policy document (simulate takes the document, not the candidate's metadata). */
function withoutMeta(c: NonNullable<ReturnType<typeof useCandidate>['data']>['candidate']) {
  const { version: _v, updatedAt: _u, actor: _a, note: _n, ...policy } = c;
  return policy;
}
