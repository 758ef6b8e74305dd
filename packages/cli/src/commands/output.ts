// Results go to stdout (so `export` can be piped); progress and problems go to stderr.
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}
