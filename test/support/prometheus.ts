/** One scrape of a Prometheus text endpoint, to read samples by name and labels. */
export class Scrape {
  private constructor(private readonly lines: string[]) {}

  /** Scrapes `/metrics` of `adminUrl`, with the headers an operator sends (the token). */
  static async of(adminUrl: string, headers: Record<string, string> = {}): Promise<Scrape> {
    const response = await fetch(`${adminUrl}/metrics`, { headers });
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    return new Scrape((await response.text()).split('\n'));
  }

  hasFamily(name: string): boolean {
    return this.lines.some((line) => line.startsWith(`# TYPE ${name} `));
  }

  /** The sample's value, 0 when it has not been emitted yet. */
  value(name: string, labels: Record<string, string> = {}): number {
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    for (const line of this.lines) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      const labelText = line.slice(name.length).split('} ')[0] ?? '';
      if (wanted.every((pair) => labelText.includes(pair))) return Number(line.split(' ').at(-1));
    }
    return 0;
  }

  /** The sum of a counter over all its label sets. */
  sum(name: string): number {
    return this.lines
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  }
}
