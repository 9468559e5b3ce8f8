{{/* Names and labels shared by every template. */}}
{{- define "motovault.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "motovault.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "motovault.selectorLabels" -}}
app.kubernetes.io/name: {{ include "motovault.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "motovault.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "motovault.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "motovault.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "motovault.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "motovault.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "motovault.sqlite" -}}
{{- if eq .Values.database.mode "sqlite" }}true{{ end -}}
{{- end -}}

{{- define "motovault.replicas" -}}
{{- if include "motovault.sqlite" . }}1{{ else }}{{ .Values.replicaCount }}{{ end -}}
{{- end -}}

{{/* Where the database URL comes from: "secret/key", or empty (SQLite). */}}
{{- define "motovault.databaseSecret" -}}
{{- if include "motovault.sqlite" . -}}
{{- else if .Values.database.existingSecret -}}
{{ .Values.database.existingSecret }}/{{ .Values.database.existingSecretKey }}
{{- else if .Values.cnpg.enabled -}}
{{ include "motovault.fullname" . }}-pg-app/uri
{{- else -}}
{{ include "motovault.fullname" . }}/database-url
{{- end -}}
{{- end -}}

{{- define "motovault.redisSecret" -}}
{{- if .Values.redis.existingSecret -}}
{{ .Values.redis.existingSecret }}/{{ .Values.redis.existingSecretKey }}
{{- else if .Values.redis.url -}}
{{ include "motovault.fullname" . }}/redis-url
{{- end -}}
{{- end -}}

{{- define "motovault.s3Enabled" -}}
{{- if and .Values.objectStorage.endpoint .Values.objectStorage.bucket }}true{{ end -}}
{{- end -}}

{{- define "motovault.s3Secret" -}}
{{- default (include "motovault.fullname" .) .Values.objectStorage.existingSecret -}}
{{- end -}}

{{- define "motovault.s3HasKeys" -}}
{{- if or .Values.objectStorage.existingSecret .Values.objectStorage.accessKey }}true{{ end -}}
{{- end -}}

{{- define "motovault.smtpSecret" -}}
{{- default (include "motovault.fullname" .) .Values.smtp.existingSecret -}}
{{- end -}}

{{- define "motovault.smtpHasPassword" -}}
{{- if or .Values.smtp.existingSecret .Values.smtp.password }}true{{ end -}}
{{- end -}}

{{- define "motovault.oidcSecret" -}}
{{- default (include "motovault.fullname" .) .Values.oidc.existingSecret -}}
{{- end -}}

{{- define "motovault.oidcHasSecret" -}}
{{- if or .Values.oidc.existingSecret .Values.oidc.clientSecret }}true{{ end -}}
{{- end -}}

{{/*
Secret files of the app: one projected volume, one file per credential, read by the app through
the MOTOVAULT__…_FILE variables (never plain env, so they do not show in `kubectl describe`).
*/}}
{{- define "motovault.secretSources" -}}
{{- $db := include "motovault.databaseSecret" . -}}
{{- if $db }}
- secret:
    name: {{ first (splitList "/" $db) }}
    items:
      - key: {{ last (splitList "/" $db) }}
        path: database-url
{{- end }}
{{- $redis := include "motovault.redisSecret" . -}}
{{- if $redis }}
- secret:
    name: {{ first (splitList "/" $redis) }}
    items:
      - key: {{ last (splitList "/" $redis) }}
        path: redis-url
{{- end }}
{{- if and (include "motovault.s3Enabled" .) (include "motovault.s3HasKeys" .) }}
- secret:
    name: {{ include "motovault.s3Secret" . }}
    items:
      - key: s3-access-key
        path: s3-access-key
      - key: s3-secret-key
        path: s3-secret-key
{{- end }}
{{- if and .Values.smtp.host (include "motovault.smtpHasPassword" .) }}
- secret:
    name: {{ include "motovault.smtpSecret" . }}
    items:
      - key: smtp-password
        path: smtp-password
{{- end }}
{{- if and .Values.oidc.issuer (include "motovault.oidcHasSecret" .) }}
- secret:
    name: {{ include "motovault.oidcSecret" . }}
    items:
      - key: oidc-client-secret
        path: oidc-client-secret
{{- end }}
{{- end -}}

{{/* The _FILE variables matching motovault.secretSources. */}}
{{- define "motovault.secretEnv" -}}
{{- if include "motovault.databaseSecret" . }}
- name: MOTOVAULT__DATABASE__URL_FILE
  value: /run/secrets/motovault/database-url
{{- end }}
{{- if include "motovault.redisSecret" . }}
- name: MOTOVAULT__REDIS__URL_FILE
  value: /run/secrets/motovault/redis-url
{{- end }}
{{- if and (include "motovault.s3Enabled" .) (include "motovault.s3HasKeys" .) }}
- name: MOTOVAULT__STORAGE__S3__ACCESS_KEY_FILE
  value: /run/secrets/motovault/s3-access-key
- name: MOTOVAULT__STORAGE__S3__SECRET_KEY_FILE
  value: /run/secrets/motovault/s3-secret-key
{{- end }}
{{- if and .Values.smtp.host (include "motovault.smtpHasPassword" .) }}
- name: MOTOVAULT__SMTP__PASSWORD_FILE
  value: /run/secrets/motovault/smtp-password
{{- end }}
{{- if and .Values.oidc.issuer (include "motovault.oidcHasSecret" .) }}
- name: MOTOVAULT__OIDC__CLIENT_SECRET_FILE
  value: /run/secrets/motovault/oidc-client-secret
{{- end }}
{{- end -}}

{{/* Volumes every pod of the app mounts: secrets (when any), the data dir, /tmp. */}}
{{- define "motovault.volumes" -}}
{{- $src := include "motovault.secretSources" . }}
{{- if $src }}
- name: secrets
  projected:
    defaultMode: 0440
    sources:
      {{- $src | trim | nindent 6 }}
{{- end }}
- name: data
  {{- if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (printf "%s-data" (include "motovault.fullname" .)) .Values.persistence.existingClaim }}
  {{- else }}
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
  {{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{- define "motovault.volumeMounts" -}}
{{- if include "motovault.secretSources" . }}
- name: secrets
  mountPath: /run/secrets/motovault
  readOnly: true
{{- end }}
- name: data
  mountPath: /var/lib/motovault
- name: tmp
  mountPath: /tmp
{{- end -}}
