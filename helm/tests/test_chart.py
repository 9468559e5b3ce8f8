"""Promises of the Helm chart, asserted on its rendered manifests (no cluster needed).

Run: HELM=/path/to/helm python3 -m unittest helm/tests/test_chart.py
(scripts/check-deploy.sh installs the pinned helm and PyYAML and runs this.)
"""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "motovault"
PRODUCTION = ROOT / "helm" / "ci" / "production-values.yaml"
HELM = os.environ.get("HELM", "helm")


def render(*args, api_versions=("monitoring.coreos.com/v1",)):
    """The chart's manifests as a list of dicts (helm template, Kubernetes 1.30)."""
    cmd = [HELM, "template", "mv", str(CHART), "--namespace", "motovault",
           "--kube-version", "1.30.0"]
    for api in api_versions:
        cmd += ["--api-versions", api]
    out = subprocess.run(cmd + list(args), check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def render_fails(*args):
    cmd = [HELM, "template", "mv", str(CHART), "--kube-version", "1.30.0", *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def notes(*args):
    """NOTES.txt as `helm install` would print it. `helm template` skips NOTES and there is no
    cluster for `helm install --dry-run`, so a copy of the chart renders it through `tpl`."""
    with tempfile.TemporaryDirectory() as tmp:
        chart = pathlib.Path(tmp) / "motovault"
        shutil.copytree(CHART, chart)
        (chart / "notes.txt").write_text((CHART / "templates" / "NOTES.txt").read_text())
        (chart / "templates" / "zz-notes.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n"
            "data:\n  notes: {{ tpl (.Files.Get \"notes.txt\") . | quote }}\n")
        out = subprocess.run([HELM, "template", "mv", str(chart), "--namespace", "motovault",
                              "--show-only", "templates/zz-notes.yaml", *args],
                             check=True, capture_output=True, text=True).stdout
    return yaml.safe_load(out)["data"]["notes"]


def one(docs, kind, name=None):
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"{kind} {name}: {len(found)} found"
    return found[0]


def kinds(docs):
    return sorted(d["kind"] for d in docs)


def container(pod_spec, name):
    return next(c for c in pod_spec["containers"] + pod_spec.get("initContainers", []) if c["name"] == name)


def env_of(c):
    return {e["name"]: e.get("value") for e in c.get("env", [])}


class DefaultValues(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = render()
        cls.deploy = one(cls.docs, "Deployment")
        cls.pod = cls.deploy["spec"]["template"]["spec"]
        cls.app = container(cls.pod, "motovault")

    def test_three_replicas_under_an_hpa_on_cpu_and_requests(self):
        hpa = one(self.docs, "HorizontalPodAutoscaler")
        # The HPA owns the count; the Deployment must not fight it with a fixed replicas field.
        self.assertNotIn("replicas", self.deploy["spec"])
        self.assertEqual(hpa["spec"]["minReplicas"], 3)
        self.assertEqual(hpa["spec"]["scaleTargetRef"]["name"], self.deploy["metadata"]["name"])
        metrics = {m["type"]: m for m in hpa["spec"]["metrics"]}
        self.assertEqual(metrics["Resource"]["resource"]["name"], "cpu")
        self.assertEqual(metrics["Resource"]["resource"]["target"]["averageUtilization"], 70)
        self.assertEqual(metrics["Pods"]["pods"]["metric"]["name"], "motovault_http_requests_per_second")
        self.assertEqual(metrics["Pods"]["pods"]["target"]["averageValue"], "50")

    def test_without_hpa_the_deployment_runs_three(self):
        deploy = one(render("--set", "autoscaling.enabled=false"), "Deployment")
        self.assertEqual(deploy["spec"]["replicas"], 3)
        self.assertNotIn("HorizontalPodAutoscaler", kinds(render("--set", "autoscaling.enabled=false")))

    def test_probes_hit_the_right_endpoints(self):
        self.assertEqual(self.app["startupProbe"]["httpGet"]["path"], "/health/live")
        self.assertEqual(self.app["livenessProbe"]["httpGet"]["path"], "/health/live")
        self.assertEqual(self.app["readinessProbe"]["httpGet"]["path"], "/health/ready")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            self.assertEqual(self.app[probe]["httpGet"]["port"], "http")
        self.assertEqual(self.app["ports"][0]["containerPort"], 8080)

    def test_restricted_security_context(self):
        pod_sc = self.pod["securityContext"]
        self.assertTrue(pod_sc["runAsNonRoot"])
        self.assertEqual(pod_sc["runAsUser"], 10001)
        self.assertEqual(pod_sc["seccompProfile"]["type"], "RuntimeDefault")
        sc = self.app["securityContext"]
        self.assertTrue(sc["runAsNonRoot"])
        self.assertEqual(sc["runAsUser"], 10001)
        self.assertTrue(sc["readOnlyRootFilesystem"])
        self.assertFalse(sc["allowPrivilegeEscalation"])
        self.assertEqual(sc["capabilities"]["drop"], ["ALL"])
        self.assertEqual(sc["seccompProfile"]["type"], "RuntimeDefault")
        self.assertFalse(self.pod["automountServiceAccountToken"])

    def test_resources_requests_and_limits(self):
        res = self.app["resources"]
        for key in ("cpu", "memory"):
            self.assertIn(key, res["requests"])
            self.assertIn(key, res["limits"])

    def test_writable_paths_are_volumes(self):
        mounts = {m["mountPath"]: m["name"] for m in self.app["volumeMounts"]}
        self.assertEqual(mounts["/var/lib/motovault"], "data")
        self.assertEqual(mounts["/tmp"], "tmp")
        volumes = {v["name"]: v for v in self.pod["volumes"]}
        self.assertIn("emptyDir", volumes["data"])

    def test_topology_spread_over_nodes_and_zones(self):
        keys = [c["topologyKey"] for c in self.pod["topologySpreadConstraints"]]
        self.assertEqual(keys, ["kubernetes.io/hostname", "topology.kubernetes.io/zone"])
        for c in self.pod["topologySpreadConstraints"]:
            self.assertEqual(c["labelSelector"]["matchLabels"]["app.kubernetes.io/component"], "api")

    def test_grace_period_exceeds_drain_plus_shutdown(self):
        # drain 5 s + in-flight 30 s + 10 s margin
        self.assertEqual(self.pod["terminationGracePeriodSeconds"], 45)
        cm = one(self.docs, "ConfigMap")["data"]
        self.assertGreater(self.pod["terminationGracePeriodSeconds"],
                           int(cm["MOTOVAULT__SERVER__DRAIN_SECS"]) + int(cm["MOTOVAULT__SERVER__SHUTDOWN_TIMEOUT_SECS"]))
        longer = one(render("--set", "config.drainSecs=20", "--set", "config.shutdownTimeoutSecs=60"), "Deployment")
        self.assertEqual(longer["spec"]["template"]["spec"]["terminationGracePeriodSeconds"], 90)

    def test_container_settings_in_the_configmap(self):
        cm = one(self.docs, "ConfigMap")["data"]
        self.assertEqual(cm["MOTOVAULT__SERVER__HOST"], "0.0.0.0")
        self.assertEqual(cm["MOTOVAULT__DATA_DIR"], "/var/lib/motovault")
        self.assertEqual(cm["MOTOVAULT__WEB__DIST_DIR"], "/usr/share/motovault/dist")
        # The migration Job migrates; the replicas must not.
        self.assertEqual(cm["MOTOVAULT__DATABASE__MIGRATE_ON_START"], "false")
        self.assertEqual(self.app["envFrom"][0]["configMapRef"]["name"], one(self.docs, "ConfigMap")["metadata"]["name"])

    def test_pdb_keeps_all_but_one(self):
        pdb = one(self.docs, "PodDisruptionBudget")
        self.assertEqual(pdb["spec"]["maxUnavailable"], 1)
        self.assertEqual(pdb["spec"]["selector"]["matchLabels"],
                         self.deploy["spec"]["selector"]["matchLabels"])

    def test_migration_job_is_a_pre_install_pre_upgrade_hook(self):
        job = one(self.docs, "Job")
        ann = job["metadata"]["annotations"]
        self.assertEqual(ann["helm.sh/hook"], "pre-install,pre-upgrade")
        self.assertIn("before-hook-creation", ann["helm.sh/hook-delete-policy"])
        c = container(job["spec"]["template"]["spec"], "migrate")
        self.assertEqual(c["args"], ["migrate"])
        self.assertEqual(env_of(c)["MOTOVAULT__DATABASE__URL_FILE"], "/run/secrets/motovault/database-url")
        self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])

    def test_service_monitor_only_with_the_operator_api(self):
        sm = one(self.docs, "ServiceMonitor")
        self.assertEqual(sm["apiVersion"], "monitoring.coreos.com/v1")
        self.assertEqual(sm["spec"]["endpoints"][0]["path"], "/metrics")
        self.assertEqual(sm["spec"]["endpoints"][0]["port"], "http")
        self.assertNotIn("ServiceMonitor", kinds(render(api_versions=())))

    def test_no_ingress_backup_or_operator_resources_by_default(self):
        for kind in ("Ingress", "CronJob", "Cluster", "Tenant", "PersistentVolumeClaim"):
            self.assertNotIn(kind, kinds(self.docs))

    def test_without_a_database_the_pod_references_a_missing_url_not_sqlite(self):
        # No silent per-pod SQLite with three replicas: the URL file is required.
        self.assertEqual(env_of(self.app)["MOTOVAULT__DATABASE__URL_FILE"], "/run/secrets/motovault/database-url")
        self.assertNotIn("Secret", kinds(self.docs))


class Notes(unittest.TestCase):
    def test_tell_the_operator_what_is_missing_and_what_to_do_next(self):
        default = notes()
        self.assertIn("ACTION NEEDED: no database is configured", default)
        self.assertIn("no object storage", default)
        self.assertIn("kubectl -n motovault port-forward svc/mv-motovault 8080:80", default)
        self.assertIn("custom-metrics", default)
        production = notes("-f", str(PRODUCTION))
        self.assertNotIn("ACTION NEEDED", production)
        self.assertNotIn("WARNING", production)
        self.assertIn("https://garage.example.com/", production)
        self.assertIn("create job --from=cronjob/mv-motovault-backup", production)
        sqlite = notes("--set", "database.mode=sqlite")
        self.assertIn("IT IS LOST WITH THE POD", sqlite)
        self.assertNotIn("IT IS LOST", notes("--set", "database.mode=sqlite", "--set", "persistence.enabled=true"))


class Checksum(unittest.TestCase):
    def annotations(self, *args):
        return one(render(*args), "Deployment")["spec"]["template"]["metadata"]["annotations"]

    def test_changes_when_config_or_secrets_change(self):
        base = self.annotations()
        self.assertRegex(base["checksum/config"], r"^[0-9a-f]{64}$")
        self.assertRegex(base["checksum/secret"], r"^[0-9a-f]{64}$")
        self.assertEqual(base, self.annotations())
        changed = self.annotations("--set", "config.logLevel=debug")
        self.assertNotEqual(changed["checksum/config"], base["checksum/config"])
        self.assertEqual(changed["checksum/secret"], base["checksum/secret"])
        secret = self.annotations("--set", "database.url=postgres://u:p@db/mv")
        self.assertNotEqual(secret["checksum/secret"], base["checksum/secret"])
        rotated = self.annotations("--set", "database.url=postgres://u:q@db/mv")
        self.assertNotEqual(rotated["checksum/secret"], secret["checksum/secret"])


class ProductionValues(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = render("-f", str(PRODUCTION))
        cls.deploy = one(cls.docs, "Deployment")
        cls.pod = cls.deploy["spec"]["template"]["spec"]
        cls.app = container(cls.pod, "motovault")

    def test_image_is_pinned_by_digest(self):
        self.assertRegex(self.app["image"], r"^registry\.example\.com/motovault/motovault@sha256:[0-9a-f]{64}$")

    def test_credentials_are_files_from_existing_secrets_never_plain_env(self):
        env = env_of(self.app)
        expected = {
            "MOTOVAULT__DATABASE__URL_FILE": "database-url",
            "MOTOVAULT__REDIS__URL_FILE": "redis-url",
            "MOTOVAULT__STORAGE__S3__ACCESS_KEY_FILE": "s3-access-key",
            "MOTOVAULT__STORAGE__S3__SECRET_KEY_FILE": "s3-secret-key",
            "MOTOVAULT__SMTP__PASSWORD_FILE": "smtp-password",
            "MOTOVAULT__OIDC__CLIENT_SECRET_FILE": "oidc-client-secret",
        }
        for var, file in expected.items():
            self.assertEqual(env[var], f"/run/secrets/motovault/{file}")
        sources = next(v for v in self.pod["volumes"] if v["name"] == "secrets")["projected"]["sources"]
        by_name = {s["secret"]["name"]: [i["key"] for i in s["secret"]["items"]] for s in sources}
        self.assertEqual(by_name, {
            "motovault-database": ["url"],
            "motovault-redis": ["url"],
            "motovault-s3": ["s3-access-key", "s3-secret-key"],
            "motovault-smtp": ["smtp-password"],
            "motovault-oidc": ["oidc-client-secret"],
        })
        # Every credential comes from an existing Secret: the chart renders none.
        self.assertNotIn("Secret", kinds(self.docs))
        cm = one(self.docs, "ConfigMap")["data"]
        for value in cm.values():
            self.assertNotIn("password", value.lower())
        self.assertEqual(cm["MOTOVAULT__STORAGE__S3__BUCKET"], "motovault-attachments")
        self.assertEqual(cm["MOTOVAULT__OIDC__ISSUER"], "https://auth.example.com/application/o/motovault/")

    def test_ingress_with_tls_and_a_separate_static_path(self):
        api = one(self.docs, "Ingress", "mv-motovault-api")
        static = one(self.docs, "Ingress", "mv-motovault-static")
        self.assertEqual(api["metadata"]["annotations"]["cert-manager.io/cluster-issuer"], "letsencrypt-prod")
        for ing in (api, static):
            self.assertEqual(ing["spec"]["tls"], [{"hosts": ["garage.example.com"], "secretName": "mv-motovault-tls"}])
            self.assertEqual(ing["spec"]["rules"][0]["host"], "garage.example.com")
            self.assertEqual(ing["spec"]["ingressClassName"], "nginx")
        self.assertEqual([p["path"] for p in api["spec"]["rules"][0]["http"]["paths"]],
                         ["/api", "/documents", "/images", "/temp"])
        self.assertEqual([p["path"] for p in static["spec"]["rules"][0]["http"]["paths"]], ["/"])
        self.assertEqual(static["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-buffering"], "on")
        self.assertNotIn("nginx.ingress.kubernetes.io/proxy-buffering", api["metadata"]["annotations"])

    def test_network_policies_default_deny_and_the_egress_list(self):
        policies = {d["metadata"]["name"]: d["spec"] for d in self.docs if d["kind"] == "NetworkPolicy"}
        deny = policies["mv-motovault-default-deny"]
        self.assertEqual(deny["policyTypes"], ["Ingress", "Egress"])
        self.assertNotIn("ingress", deny)
        self.assertNotIn("egress", deny)
        ingress = policies["mv-motovault-ingress"]["ingress"]
        self.assertEqual(ingress[0]["ports"], [{"protocol": "TCP", "port": 8080}])
        namespaces = [p["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for p in ingress[0]["from"]]
        self.assertEqual(namespaces, ["ingress-nginx", "monitoring"])
        egress = policies["mv-motovault-egress"]["egress"]
        ports = [sorted({(p["protocol"], p["port"]) for p in rule["ports"]}) for rule in egress]
        self.assertEqual(ports, [
            [("TCP", 53), ("UDP", 53)],           # DNS
            [("TCP", 5432)],                      # PostgreSQL
            [("TCP", 6379)],                      # Redis
            [("TCP", 443), ("TCP", 9000)],        # S3
            [("TCP", 465), ("TCP", 587)],         # SMTP
            [("TCP", 443)],                       # HTTPS: OIDC provider, webhooks
        ])
        self.assertEqual(egress[0]["to"][0]["podSelector"]["matchLabels"], {"k8s-app": "kube-dns"})
        self.assertEqual(egress[1]["to"], [{"ipBlock": {"cidr": "10.20.0.0/24"}}])
        self.assertEqual(egress[2]["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"], "redis")

    def test_backup_cronjob_uploads_with_retention(self):
        cron = one(self.docs, "CronJob")
        self.assertEqual(cron["spec"]["schedule"], "17 3 * * *")
        self.assertEqual(cron["spec"]["concurrencyPolicy"], "Forbid")
        pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        backup = container(pod, "backup")
        self.assertEqual(backup["args"], ["backup", "--output", "/backup/motovault.zip"])
        upload = container(pod, "upload")
        env = env_of(upload)
        self.assertEqual(env["S3_BUCKET"], "motovault-backups")
        self.assertEqual(env["RETENTION_DAYS"], "14")
        self.assertIn("--older-than", upload["args"][0])
        self.assertRegex(upload["image"], r"@sha256:[0-9a-f]{64}$")
        for c in (backup, upload):
            self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])
            self.assertEqual(c["securityContext"]["capabilities"]["drop"], ["ALL"])

    def test_migration_job_reads_the_existing_secret(self):
        job = one(self.docs, "Job")
        volume = job["spec"]["template"]["spec"]["volumes"][0]["secret"]
        self.assertEqual(volume["secretName"], "motovault-database")
        self.assertEqual(volume["items"], [{"key": "url", "path": "database-url"}])
        # No hook Secret is needed when the URL lives in an existing Secret.
        self.assertEqual([d["kind"] for d in self.docs if d["metadata"]["name"] == "mv-motovault-migrate"], ["Job"])

    def test_hard_spread_over_nodes(self):
        spread = self.pod["topologySpreadConstraints"]
        self.assertEqual(spread[0]["whenUnsatisfiable"], "DoNotSchedule")


class OtherModes(unittest.TestCase):
    def test_url_as_value_gets_a_hook_secret_for_the_migration(self):
        docs = render("--set", "database.url=postgres://u:p@db:5432/mv")
        hook = one(docs, "Secret", "mv-motovault-migrate")
        self.assertEqual(hook["metadata"]["annotations"]["helm.sh/hook-weight"], "-10")
        job = one(docs, "Job")
        self.assertEqual(job["metadata"]["annotations"]["helm.sh/hook-weight"], "0")
        self.assertEqual(job["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"], "mv-motovault-migrate")
        app_secret = one(docs, "Secret", "mv-motovault")
        self.assertIn("database-url", app_secret["data"])

    def test_sqlite_is_one_pod_with_a_volume_and_no_hpa(self):
        docs = render("--set", "database.mode=sqlite", "--set", "persistence.enabled=true")
        deploy = one(docs, "Deployment")
        self.assertEqual(deploy["spec"]["replicas"], 1)
        self.assertEqual(deploy["spec"]["strategy"]["type"], "Recreate")
        for kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget", "Job"):
            self.assertNotIn(kind, kinds(docs))
        pvc = one(docs, "PersistentVolumeClaim")
        self.assertEqual(pvc["metadata"]["annotations"]["helm.sh/resource-policy"], "keep")
        cm = one(docs, "ConfigMap")["data"]
        self.assertEqual(cm["MOTOVAULT__DATABASE__MIGRATE_ON_START"], "true")
        self.assertNotIn("MOTOVAULT__DATABASE__URL_FILE", env_of(container(deploy["spec"]["template"]["spec"], "motovault")))

    def test_operator_resources_are_opt_in(self):
        docs = render("--set", "cnpg.enabled=true", "--set", "minio.enabled=true")
        cluster = one(docs, "Cluster")
        self.assertEqual(cluster["apiVersion"], "postgresql.cnpg.io/v1")
        self.assertEqual(cluster["spec"]["instances"], 3)
        self.assertEqual(cluster["spec"]["bootstrap"]["initdb"]["database"], "motovault")
        tenant = one(docs, "Tenant")
        self.assertEqual(tenant["apiVersion"], "minio.min.io/v2")
        self.assertEqual(tenant["spec"]["pools"][0]["servers"], 4)
        # The app reads CloudNativePG's generated Secret; the Job migrates once the cluster exists.
        pod = one(docs, "Deployment")["spec"]["template"]["spec"]
        sources = next(v for v in pod["volumes"] if v["name"] == "secrets")["projected"]["sources"]
        self.assertEqual(sources[0]["secret"], {"name": "mv-motovault-pg-app",
                                                "items": [{"key": "uri", "path": "database-url"}]})
        self.assertEqual(one(docs, "Job")["metadata"]["annotations"]["helm.sh/hook"], "post-install,pre-upgrade")

    def test_schema_rejects_wrong_values(self):
        for args in (["--set", "database.mode=mysql"],
                     ["--set", "image.digest=latest"],
                     ["--set", "config.extraEnv.PASSWORD=x"],
                     ["--set", "backup.enabled=true"],          # nowhere to upload to
                     ["--set", "unknownKey=1"]):
            result = render_fails(*args)
            self.assertNotEqual(result.returncode, 0, args)
            self.assertIn("values don't meet the specifications of the schema", result.stderr, args)

    def test_schema_is_valid_json(self):
        schema = json.loads((CHART / "values.schema.json").read_text())
        self.assertFalse(schema["additionalProperties"])


if __name__ == "__main__":
    unittest.main()
