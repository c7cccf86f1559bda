import type { ServiceSpec } from '../service-spec.js';

/** Texts of the deployment artifacts that are whole blocks: appended as they are, then formatted. */

export function dockerfileStage({ names: { kebab }, port }: ServiceSpec): string {
  return `
FROM runtime AS ${kebab}
ENV PORT=${port}
COPY --from=build /app/dist/apps/${kebab} ./dist/apps/${kebab}
EXPOSE ${port}
CMD ["node", "dist/apps/${kebab}/main.js"]
`;
}

export function nginxServer({ names: { kebab }, port }: ServiceSpec): string {
  return `
  server {
    listen ${port};
    location / {
      set $upstream ${kebab}:${port};
      proxy_pass http://$upstream;
    }
  }
`;
}

export function horizontalPodAutoscaler({ names: { kebab } }: ServiceSpec): string {
  return `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${kebab}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${kebab}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
`;
}

function natsTrigger(stream: string, consumer: string): string {
  return `    - type: nats-jetstream
      metadata:
        natsServerMonitoringEndpoint: 'nats.jetstream-platform.svc.cluster.local:8222'
        account: '$G'
        stream: '${stream}'
        consumer: '${consumer}'
        lagThreshold: '64'
`;
}

/** One trigger per durable consumer the app reads: its command's and its event's. */
export function scaledObject({ names: { kebab }, command, event }: ServiceSpec): string {
  return `---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ${kebab}
spec:
  scaleTargetRef:
    name: ${kebab}
  minReplicaCount: 2
  maxReplicaCount: 10
  pollingInterval: 15
  cooldownPeriod: 300
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 300
  triggers:
${natsTrigger('COMMANDS', `${kebab}-${command}`)}${natsTrigger('EVENTS', `${kebab}-${event}`)}    - type: cpu
      metricType: Utilization
      metadata:
        value: '70'
`;
}

/** The compose service, as the YAML editor inserts it (the shared x-app parts are merged in there). */
export function composeService({ names: { kebab, constant } }: ServiceSpec) {
  return {
    build: { context: '.', target: kebab, secrets: ['ca-certificates'] },
    image: `nest-jetstream-platform/${kebab}:local`,
    environment: {
      DATABASE_URL: `postgres://${kebab}:\${${constant}_DB_PASSWORD:?set ${constant}_DB_PASSWORD in .env}@postgres:5432/${kebab}`,
      NATS_USER: kebab,
      NATS_PASSWORD: `\${${constant}_NATS_PASSWORD:?set ${constant}_NATS_PASSWORD in .env}`,
    },
  };
}

export function requiredVariable(name: string): string {
  return `\${${name}:?set ${name} in .env (see .env.example)}`;
}
