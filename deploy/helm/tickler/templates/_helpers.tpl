{{/* Names, labels and the pieces every service's manifests share. */}}

{{- define "tickler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tickler.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "tickler.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "tickler.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tickler.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The roles of the distributed mode that run as Deployments, in start order. */}}
{{- define "tickler.roles" -}}
{{- $roles := list "api" "notifier" "recurrer" "auditor" "realtime" "assistant" -}}
{{- if .Values.frontend.enabled -}}{{- $roles = append $roles "frontend" -}}{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{/* Dapr app id of a role: fixed, the services name each other by these ids. */}}
{{- define "tickler.appId" -}}
tickler-{{ . }}
{{- end -}}

{{- define "tickler.labels" -}}
helm.sh/chart: {{ include "tickler.chart" . }}
{{ include "tickler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tickler
{{- end -}}

{{- define "tickler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tickler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of one role: call with (dict "ctx" $ "role" "api"). */}}
{{- define "tickler.roleLabels" -}}
{{ include "tickler.labels" .ctx }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "tickler.roleSelectorLabels" -}}
{{ include "tickler.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "tickler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tickler.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "tickler.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "tickler.appTokenSecret" -}}
{{ include "tickler.fullname" . }}-app-api-token
{{- end -}}

{{- define "tickler.daprTokenSecret" -}}
{{ include "tickler.fullname" . }}-dapr-api-token
{{- end -}}

{{/* A token kept across upgrades: the given value, else the one in the cluster, else new. */}}
{{- define "tickler.token" -}}
{{- $given := index . 0 -}}{{- $ctx := index . 1 -}}{{- $name := index . 2 -}}
{{- if $given -}}
{{- $given -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" $ctx.Release.Namespace $name -}}
{{- if and $existing $existing.data (hasKey $existing.data "token") -}}
{{- index $existing.data "token" | b64dec -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Kubernetes Secrets each role reads through the Dapr secret store. */}}
{{- define "tickler.roleSecrets" -}}
{{- $m := dict "api" (list "api-database-url" "jwt-secret") "notifier" (list "notifier-database-url" "jwt-secret" "smtp-url" "vapid-private-key") "auditor" (list "auditor-database-url" "jwt-secret") "realtime" (list "jwt-secret") "recurrer" (list) "frontend" (list) "assistant" (list "jwt-secret" "llm-api-key") -}}
{{- toJson (index $m .) -}}
{{- end -}}

{{/* Callers allowed to invoke a role through Dapr service invocation, with their routes. */}}
{{- define "tickler.invokers" -}}
{{- $m := dict
  "api" (list (dict "from" "recurrer" "ops" (list (dict "name" "/internal/occurrences" "verbs" (list "POST")))) (dict "from" "frontend" "ops" (list (dict "name" "/api/**" "verbs" (list "*")) (dict "name" "/mcp" "verbs" (list "*")) (dict "name" "/oauth/**" "verbs" (list "*")) (dict "name" "/.well-known/**" "verbs" (list "GET")) (dict "name" "/links/**" "verbs" (list "GET" "POST")))) (dict "from" "realtime" "ops" (list (dict "name" "/api/me" "verbs" (list "GET")))) (dict "from" "notifier" "ops" (list (dict "name" "/api/me" "verbs" (list "GET")) (dict "name" "/internal/digest" "verbs" (list "POST")))) (dict "from" "auditor" "ops" (list (dict "name" "/api/me" "verbs" (list "GET")))) (dict "from" "assistant" "ops" (list (dict "name" "/api/me" "verbs" (list "GET")) (dict "name" "/api/tasks" "verbs" (list "GET" "POST")) (dict "name" "/api/tasks/**" "verbs" (list "*")) (dict "name" "/api/tags" "verbs" (list "GET")) (dict "name" "/api/notifications" "verbs" (list "GET")))))
  "notifier" (list (dict "from" "api" "ops" (list (dict "name" "/api/notifications/**" "verbs" (list "*")) (dict "name" "/api/notifications" "verbs" (list "*")) (dict "name" "/api/me/webhook" "verbs" (list "*")) (dict "name" "/api/me/channels/email" "verbs" (list "*")) (dict "name" "/links/email/*" "verbs" (list "GET" "POST")) (dict "name" "/api/me/channels" "verbs" (list "GET")) (dict "name" "/api/me/channels/webhooks" "verbs" (list "*")) (dict "name" "/api/me/channels/webhooks/*" "verbs" (list "*")) (dict "name" "/api/tasks/*/deliveries" "verbs" (list "GET")) (dict "name" "/api/tasks/*/notification-override" "verbs" (list "GET" "PUT" "DELETE")) (dict "name" "/api/me/notification-settings" "verbs" (list "GET" "PUT")) (dict "name" "/api/me/channels/test" "verbs" (list "POST")) (dict "name" "/api/me/channels/push" "verbs" (list "GET" "POST")) (dict "name" "/api/me/channels/push/*" "verbs" (list "GET" "DELETE")) (dict "name" "/api/me/channels/ntfy" "verbs" (list "*")))))
  "auditor" (list (dict "from" "api" "ops" (list (dict "name" "/api/tasks/*/history" "verbs" (list "GET")))))
  "recurrer" (list)
  "realtime" (list)
  "frontend" (list)
  "assistant" (list (dict "from" "api" "ops" (list (dict "name" "/api/chat" "verbs" (list "POST")) (dict "name" "/api/conversations" "verbs" (list "GET")) (dict "name" "/api/conversations/*" "verbs" (list "GET" "DELETE")))))
-}}
{{- toJson (index $m .) -}}
{{- end -}}

{{/* The pod's scrape and Dapr annotations of one role: (dict "ctx" $ "role" "api" "port" 8080). */}}
{{- define "tickler.podAnnotations" -}}
{{- $v := .ctx.Values -}}
dapr.io/enabled: "true"
dapr.io/app-id: {{ include "tickler.appId" .role | quote }}
dapr.io/app-port: {{ .port | quote }}
dapr.io/app-protocol: http
dapr.io/config: {{ printf "%s-%s" (include "tickler.fullname" .ctx) .role | quote }}
dapr.io/log-level: {{ $v.dapr.logLevel | quote }}
dapr.io/log-as-json: {{ $v.dapr.logAsJson | quote }}
dapr.io/enable-metrics: "true"
dapr.io/metrics-port: {{ $v.dapr.metricsPort | quote }}
dapr.io/enable-app-health-check: {{ $v.dapr.appHealthCheck.enabled | quote }}
dapr.io/app-health-check-path: {{ $v.dapr.appHealthCheck.path | quote }}
dapr.io/app-health-probe-interval: {{ $v.dapr.appHealthCheck.probeIntervalSeconds | quote }}
dapr.io/app-health-probe-timeout: {{ $v.dapr.appHealthCheck.probeTimeoutMilliseconds | quote }}
dapr.io/app-health-threshold: {{ $v.dapr.appHealthCheck.threshold | quote }}
dapr.io/graceful-shutdown-seconds: {{ $v.dapr.gracefulShutdownSeconds | quote }}
dapr.io/sidecar-cpu-request: {{ $v.dapr.sidecar.cpuRequest | quote }}
dapr.io/sidecar-memory-request: {{ $v.dapr.sidecar.memoryRequest | quote }}
dapr.io/sidecar-cpu-limit: {{ $v.dapr.sidecar.cpuLimit | quote }}
dapr.io/sidecar-memory-limit: {{ $v.dapr.sidecar.memoryLimit | quote }}
dapr.io/app-token-secret: {{ include "tickler.appTokenSecret" .ctx | quote }}
dapr.io/api-token-secret: {{ include "tickler.daprTokenSecret" .ctx | quote }}
dapr.io/sidecar-seccomp-profile-type: RuntimeDefault
{{- if $v.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* The origin clients reach Tickler at: publicUrl, else the Ingress host's. */}}
{{- define "tickler.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl | trimSuffix "/" -}}
{{- else if .Values.ingress.enabled -}}
{{- ternary "https" "http" (ne .Values.ingress.tlsSecretName "") }}://{{ .Values.ingress.host -}}
{{- end -}}
{{- end -}}
