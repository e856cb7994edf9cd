{{/* Names and labels. */}}
{{- define "modproxy.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "modproxy.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "modproxy.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "modproxy.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; metaLabels go with a selector's labels, which carry the instance. */}}
{{- define "modproxy.metaLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: modproxy
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "modproxy.labels" -}}
{{ include "modproxy.metaLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "gateway") */}}
{{- define "modproxy.selector" -}}
app.kubernetes.io/name: {{ include "modproxy.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The fetcher ring: the headless Service's name, which resolves to every ready fetcher pod;
the gateways resolve it again every modproxy.fetcher.dns-refresh. */}}
{{- define "modproxy.fetcherEndpoints" -}}
{{- printf "dns+http://%s-fetcher-headless:8081" (include "modproxy.fullname" .) -}}
{{- end -}}

{{- define "modproxy.s3Endpoint" -}}
{{- if .Values.storage.s3.endpoint -}}
{{- .Values.storage.s3.endpoint -}}
{{- else if .Values.minio.enabled -}}
{{- printf "http://%s-minio:9000" (include "modproxy.fullname" .) -}}
{{- else -}}
{{- fail "storage.type=s3 needs storage.s3.endpoint, or minio.enabled=true" -}}
{{- end -}}
{{- end -}}

{{- define "modproxy.s3Secret" -}}
{{- .Values.storage.s3.existingSecret | default (printf "%s-s3" (include "modproxy.fullname" .)) -}}
{{- end -}}

{{- define "modproxy.kafkaBootstrap" -}}
{{- if .Values.kafka.bootstrapServers -}}
{{- .Values.kafka.bootstrapServers -}}
{{- else if .Values.kafka.enabled -}}
{{- printf "%s-kafka-kafka-bootstrap:9092" (include "modproxy.fullname" .) -}}
{{- else -}}
{{- fail "kafka.enabled=false needs kafka.bootstrapServers" -}}
{{- end -}}
{{- end -}}

{{- define "modproxy.netrcSecret" -}}
{{- if .Values.fetcher.netrc.existingSecret -}}
{{- .Values.fetcher.netrc.existingSecret -}}
{{- else if .Values.fetcher.netrc.content -}}
{{- printf "%s-netrc" (include "modproxy.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "modproxy.internalTokenSecret" -}}
{{- .Values.internalToken.existingSecret | default (printf "%s-internal-token" (include "modproxy.fullname" .)) -}}
{{- end -}}

{{- define "modproxy.image" -}}
{{- $img := printf "%s%s:%s" .root.Values.image.repositoryPrefix .module (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- if .root.Values.image.registry -}}{{ printf "%s/%s" .root.Values.image.registry $img }}{{- else -}}{{ $img }}{{- end -}}
{{- end -}}

{{/* The four services: key, Quarkus module, port, workload kind. */}}
{{- define "modproxy.services" -}}
- {key: gateway, module: proxy-gateway, port: 8080, kind: Deployment}
- {key: fetcher, module: fetcher-service, port: 8081, kind: StatefulSet}
- {key: sumdb, module: sumdb-service, port: 8082, kind: Deployment}
- {key: audit, module: audit-service, port: 8083, kind: Deployment}
{{- end -}}

{{- define "modproxy.policyConfigMap" -}}
{{- if .Values.policy.existingConfigMap -}}
{{- .Values.policy.existingConfigMap -}}
{{- else if .Values.policy.rules -}}
{{- printf "%s-policy" (include "modproxy.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* modproxy.tls.trust: the named PEM files of the mounted trust Secret or ConfigMap, comma-separated
(the setting takes files; a directory would be opened as a file and fail). Empty: none mounted. */}}
{{- define "modproxy.trust" -}}
{{- if or .Values.tlsTrust.existingSecret .Values.tlsTrust.existingConfigMap -}}
{{- if not .Values.tlsTrust.files -}}
{{- fail "tlsTrust.files must name the PEM files in the trust Secret or ConfigMap (e.g. [ca.crt])" -}}
{{- end -}}
{{- $files := list -}}
{{- range .Values.tlsTrust.files }}{{ $files = append $files (printf "/etc/modproxy/trust/%s" .) }}{{ end -}}
{{- join "," $files -}}
{{- end -}}
{{- end -}}
