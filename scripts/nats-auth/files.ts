/** Where the authorisation is shipped: compose mounts deploy/, kustomize reads only k8s/. */
export const AUTH_CONFIG_FILES = ['deploy/nats/auth.conf', 'k8s/base/nats/auth.conf'];
