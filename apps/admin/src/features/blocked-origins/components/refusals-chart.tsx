import { Text } from '@mantine/core';
import type { Bucket } from '../lib/time-buckets.js';

/** Refusals per time window as a plain SVG bar chart (no charting library for one chart). */
export function RefusalsChart({
  buckets,
  counts,
  loading,
}: {
  buckets: Bucket[];
  counts: (number | undefined)[];
  loading: boolean;
}) {
  const max = Math.max(1, ...counts.map((c) => c ?? 0));
  const total = counts.reduce<number>((a, c) => a + (c ?? 0), 0);
  const w = 720;
  const h = 140;
  const gap = 2;
  const bw = w / buckets.length - gap;
  const labelEvery = Math.ceil(buckets.length / 8);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${w} ${h + 20}`}
        width="100%"
        role="img"
        aria-label={`Refusals over time: ${total} in total${loading ? ' (loading)' : ''}`}
        data-testid="refusals-chart"
        style={{ maxHeight: 200 }}
      >
        <line x1={0} x2={w} y1={h} y2={h} stroke="var(--mantine-color-gray-4)" />
        {buckets.map((b, i) => {
          const c = counts[i] ?? 0;
          const bh = Math.round((c / max) * (h - 10));
          const x = i * (bw + gap);
          return (
            <g key={b.since}>
              <rect
                x={x}
                y={h - bh}
                width={bw}
                height={Math.max(bh, c > 0 ? 2 : 0)}
                rx={2}
                fill={
                  counts[i] === undefined
                    ? 'var(--mantine-color-gray-2)'
                    : 'var(--mantine-color-red-5)'
                }
              >
                <title>{`${b.label}: ${c} refusal${c === 1 ? '' : 's'}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text
                  x={x + bw / 2}
                  y={h + 14}
                  fontSize={10}
                  textAnchor="middle"
                  fill="var(--mantine-color-gray-6)"
                >
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Text component="figcaption" size="xs" c="dimmed">
        {total} refusal{total === 1 ? '' : 's'} in this period · peak{' '}
        {max === 1 && total === 0 ? 0 : max} per bar
      </Text>
    </figure>
  );
}
