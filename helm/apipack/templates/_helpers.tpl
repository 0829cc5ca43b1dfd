{{/* Names, labels and the settings environment shared by the templates. */}}

{{- define "apipack.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "apipack.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "apipack.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "apipack.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component: pass (dict "root" $ "component" "api"). */}}
{{- define "apipack.selectorLabels" -}}
app.kubernetes.io/name: {{ include "apipack.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "apipack.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "apipack.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "apipack.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "apipack.indexClaim" -}}
{{- default (printf "%s-index" (include "apipack.fullname" .)) .Values.index.persistence.existingClaim }}
{{- end }}

{{- define "apipack.vllmServedModel" -}}
{{- default .Values.vllm.model .Values.vllm.servedModelName }}
{{- end }}

{{/* "external" (URL or Secret given), "bundled", or "none" (in-process cache). */}}
{{- define "apipack.redisMode" -}}
{{- if or .Values.redis.external.url .Values.redis.external.existingSecret }}external
{{- else if .Values.redis.enabled }}bundled
{{- else }}none
{{- end }}
{{- end }}

{{- define "apipack.apiKeysEnabled" -}}
{{- if or .Values.apiKeys.keys .Values.apiKeys.existingSecret }}true{{ end }}
{{- end }}

{{/* Where the keys Secret is mounted and the file the service reads. */}}
{{- define "apipack.apiKeysDir" -}}/etc/apipack/keys{{- end }}
{{- define "apipack.apiKeysFile" -}}{{ include "apipack.apiKeysDir" . }}/api_keys{{- end }}

{{/* Secret the chart creates for keys/URLs it was given as values ("" when none is needed). */}}
{{- define "apipack.ownSecretNeeded" -}}
{{- if or (and .Values.apiKeys.keys (not .Values.apiKeys.existingSecret)) (and .Values.redis.external.url (not .Values.redis.external.existingSecret)) (and .Values.openaiApiKey.value (not .Values.openaiApiKey.existingSecret)) }}true{{ end }}
{{- end }}

{{/*
The flat APIPACK_* settings of the API as a YAML map: the `settings` values first, then the
ones the chart owns (listening address, index mount, Redis, keys file, the vLLM backend).
Secret-valued settings (an external Redis URL, an OpenAI key) are set from Secrets instead.
*/}}
{{- define "apipack.settingsEnv" -}}
{{- $env := dict }}
{{- range $name, $value := .Values.settings }}
{{- if not (kindIs "invalid" $value) }}
{{- $_ := set $env (printf "APIPACK_%s" (upper $name)) (toString $value) }}
{{- end }}
{{- end }}
{{- $_ := set $env "APIPACK_HOST" "0.0.0.0" }}
{{- $_ := set $env "APIPACK_PORT" (toString .Values.api.port) }}
{{- $_ := set $env "APIPACK_INDEX_DIR" .Values.index.mountPath }}
{{- $_ := set $env "APIPACK_CACHE_DIR" "/tmp/cache/apipack" }}
{{- if eq (include "apipack.redisMode" .) "bundled" }}
{{- $_ := set $env "APIPACK_REDIS_URL" (printf "redis://%s-redis:%d/0" (include "apipack.fullname" .) (int .Values.redis.port)) }}
{{- end }}
{{- if include "apipack.apiKeysEnabled" . }}
{{- $_ := set $env "APIPACK_API_KEYS_FILE" (include "apipack.apiKeysFile" .) }}
{{- end }}
{{- if .Values.vllm.enabled }}
{{- $_ := set $env "APIPACK_BACKEND" "openai" }}
{{- $_ := set $env "APIPACK_OPENAI_BASE_URL" (printf "http://%s-vllm:%d/v1" (include "apipack.fullname" .) (int .Values.vllm.port)) }}
{{- $_ := set $env "APIPACK_OPENAI_MODEL" (default (include "apipack.vllmServedModel" .) .Values.vllm.apiModel) }}
{{- end }}
{{- toYaml $env }}
{{- end }}
