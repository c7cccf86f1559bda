import type { ServiceSpec } from '../service-spec.js';

/** k8s/base/apps/<name>.yaml: the same objects and settings as the other apps'. */
export function kubernetesAppManifest({ names: { kebab }, port, command, event }: ServiceSpec) {
  const admin = port + 1_000;
  return {
    [`k8s/base/apps/${kebab}.yaml`]: `# ${kebab}: entries (${command}, ${event}). Deployment, Service, PodDisruptionBudget
# and the NetworkPolicy that lets it reach NATS and PostgreSQL only. Autoscaling
# comes from the overlay (KEDA on its consumers' backlog, or the HPA fallback).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${kebab}
  labels:
    app.kubernetes.io/name: ${kebab}
    app.kubernetes.io/component: service
spec:
  # No replicas: the autoscaler owns the count (an apply would reset it).
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${kebab}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${kebab}
        app.kubernetes.io/component: service
      # Metrics are on the admin port, behind ADMIN_TOKEN: a Prometheus that
      # follows these annotations sends the token itself (docs/deployment.md).
      annotations:
        prometheus.io/scrape: 'true'
        prometheus.io/port: '${admin}'
        prometheus.io/path: /metrics
    spec:
      automountServiceAccountToken: false
      # No {SERVICE}_PORT variables injected beside the app's own settings.
      enableServiceLinks: false
      # preStop (5 s) + MESSAGING_ACK_WAIT_MS (30 s) + margin: SIGTERM drains
      # the messages in hand, acks them and publishes the outbox.
      terminationGracePeriodSeconds: 45
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${kebab}
      containers:
        - name: ${kebab}
          image: nest-jetstream-platform/${kebab}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${port}
            # Dead letters and metrics, for operators: no Service exposes it.
            - name: admin
              containerPort: ${admin}
          envFrom:
            - configMapRef:
                name: platform-config
            - configMapRef:
                name: ${kebab}-config
            # Customers' bearer tokens: the key (or key set), issuer and audience.
            - configMapRef:
                name: customer-auth
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: ${kebab}-database
                  key: url
            - name: NATS_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${kebab}-nats
                  key: password
            - name: ADMIN_TOKEN
              valueFrom:
                secretKeyRef:
                  name: admin-token
                  key: token
            # Commands are taken only signed by their sender (docs/security.md).
            - name: MESSAGING_SENDER_KEYS_DIR
              value: /run/messaging/senders
          # The HTTP port opens once migrations ran and the consumers exist.
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 2
            failureThreshold: 60
          # The process only: a NATS or database outage must not restart pods.
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          # Its database answers (503 otherwise). A NATS outage keeps the pod in
          # service: the outbox holds what it publishes; NATS, streams and
          # consumers are in the answer's body and the *_available gauges.
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          lifecycle:
            preStop:
              exec:
                # Endpoints drop the pod before SIGTERM stops its HTTP server.
                command: ['sleep', '5']
          resources:
            requests:
              cpu: 100m
              memory: 192Mi
            limits:
              cpu: '1'
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ['ALL']
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: command-senders
              mountPath: /run/messaging/senders
              readOnly: true
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        # The public keys of the apps that send commands; the overlay brings them.
        - name: command-senders
          configMap:
            name: command-senders
---
apiVersion: v1
kind: Service
metadata:
  name: ${kebab}
  labels:
    app.kubernetes.io/name: ${kebab}
    app.kubernetes.io/component: service
spec:
  selector:
    app.kubernetes.io/name: ${kebab}
  ports:
    - name: http
      port: ${port}
      targetPort: http
---
# Drains and rollouts take one pod at a time; messages wait in JetStream.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${kebab}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${kebab}
---
# In: its HTTP API, and its admin port from Prometheus only (kubectl
# port-forward does not pass through a NetworkPolicy). Out: NATS and
# PostgreSQL (and DNS, network-policies.yaml).
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${kebab}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ${kebab}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - protocol: TCP
          port: ${port}
    - from:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              app.kubernetes.io/name: prometheus
      ports:
        - protocol: TCP
          port: ${admin}
  egress:
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: nats
      ports:
        - protocol: TCP
          port: 4222
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: postgres
      ports:
        - protocol: TCP
          port: 5432
`,
  };
}
