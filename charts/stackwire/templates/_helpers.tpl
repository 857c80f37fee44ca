{{- define "stackwire.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stackwire.fullname" -}}
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

{{- define "stackwire.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stackwire.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stackwire.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "stackwire.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "stackwire.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "stackwire.specConfigMap" -}}
{{- default (printf "%s-spec" (include "stackwire.fullname" .)) .Values.localSpec.configMap }}
{{- end }}

{{- /* The image's non-root user (Dockerfile, scripts/build-image). */}}
{{- define "stackwire.uid" -}}10001{{- end }}

{{- /*
Combinations values.schema.json cannot explain well: fail with what to change.
*/}}
{{- define "stackwire.checkValues" -}}
{{- if and (eq .Values.mode "configMap") .Values.git.repo }}
{{- fail (printf "git.repo is set (%s) but mode is configMap: set mode=git to read the spec from Git, or unset git.repo" .Values.git.repo) }}
{{- end }}
{{- if and (eq .Values.mode "git") (or .Values.localSpec.configMap .Values.localSpec.files) }}
{{- fail "localSpec.configMap or localSpec.files is set but mode is git: unset them, or set mode=configMap" }}
{{- end }}
{{- if and .Values.localSpec.configMap .Values.localSpec.files }}
{{- fail "localSpec.files makes the chart create its own ConfigMap; it cannot be combined with localSpec.configMap (an existing one): set one of them" }}
{{- end }}
{{- if and .Values.git.ssh.existingSecret (hasPrefix "http" .Values.git.repo) }}
{{- fail (printf "git.ssh.existingSecret is set but git.repo is an %s URL: use an ssh:// or git@host:path URL, or git.existingSecret for a token" (regexFind "^https?" .Values.git.repo)) }}
{{- end }}
{{- end }}

{{- define "stackwire.nonRoot" -}}
{{- if not (kindIs "invalid" .Values.docker.socketGroup) }}true{{- end }}
{{- end }}

{{- define "stackwire.podSecurityContext" -}}
{{- $pod := deepCopy .Values.podSecurityContext }}
{{- if include "stackwire.nonRoot" . }}
{{- $groups := list }}
{{- range $pod.supplementalGroups }}{{ $groups = append $groups (int64 .) }}{{ end }}
{{- $_ := set $pod "supplementalGroups" (append $groups (int64 .Values.docker.socketGroup) | uniq) }}
{{- if not (hasKey $pod "fsGroup") }}
{{- $_ := set $pod "fsGroup" (int64 (include "stackwire.uid" .)) }}
{{- end }}
{{- end }}
{{- toYaml $pod }}
{{- end }}

{{- define "stackwire.securityContext" -}}
{{- $sc := deepCopy .Values.securityContext }}
{{- if include "stackwire.nonRoot" . }}
{{- $sc = merge $sc (dict "runAsUser" (int64 (include "stackwire.uid" .)) "runAsGroup" (int64 (include "stackwire.uid" .)) "runAsNonRoot" true) }}
{{- else }}
{{- $sc = merge $sc (dict "runAsUser" 0 "runAsGroup" 0 "runAsNonRoot" false) }}
{{- end }}
{{- toYaml $sc }}
{{- end }}
