// npm audit --omit=dev: fails on a high or critical advisory in what the
// images ship. Where the registry's advisory endpoint cannot be reached (a
// mirror or a closed network), it says so in one line; AUDIT_REQUIRED=1 makes
// that fatal too.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit gave no report: ${run.stderr.trim().split('\n')[0] ?? ''}`);
  process.exit(1);
}

if (report.statusCode || report.error) {
  const why = report.message ?? report.error?.summary ?? 'unknown error';
  const line = `npm audit could not reach the advisory database (${why}): dependencies NOT audited`;
  if (process.env.AUDIT_REQUIRED === '1') {
    console.error(line);
    process.exit(1);
  }
  console.warn(`warning: ${line}`);
  process.exit(0);
}

const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
for (const [name, finding] of Object.entries(report.vulnerabilities ?? {})) {
  if (finding.severity === 'high' || finding.severity === 'critical') {
    console.error(`${finding.severity}: ${name} (${finding.range})`);
  }
}
console.log(
  `npm audit --omit=dev: ${serious} high or critical, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`,
);
process.exit(serious > 0 ? 1 : 0);
