"""Side-by-side benchmark of stackwire and its peers on one private Docker Engine (scripts/bench-peers).

Every peer drives the daemon through the same desired states:
  v1: N networks bp-n<i> (10.230.0.0/16 in /24s, label bench=1), N/2 containers bp-c<j>, each on
      networks 2j and 2j+1 with one alias per attachment (a<j>-0, a<j>-1), every fifth container
      publishing 127.0.0.1:<21000+j>:80;
  v2: v1 with network bp-n0 labelled bench=2 (a network must be re-created for that) and
      container bp-c1's first alias renamed a1-0 -> a1-0b (disconnect + connect).
Scenarios, in order, each checked against the daemon afterwards: cold (from nothing), no-op (v1
again), change (v1 -> v2), teardown (nothing left). Docker API requests are counted from the
daemon's own debug log ("Calling METHOD /path"), so every client is counted the same way.

Runs under Debian's /usr/bin/python3 (python3-docker is the Docker SDK ansible uses too).
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import docker

IMAGE = "stackwire-test-busybox:latest"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --- the desired states ------------------------------------------------------------------------

def desired(n, version):
    nets = {}
    for i in range(n):
        nets[f"bp-n{i}"] = {
            "subnet": f"10.{230 + i // 256}.{i % 256}.0/24",
            "labels": {"bench": "2" if (version == 2 and i == 0) else "1"},
        }
    containers = {}
    for j in range(n // 2):
        first = f"a{j}-0b" if (version == 2 and j == 1) else f"a{j}-0"
        containers[f"bp-c{j}"] = {
            "attach": [(f"bp-n{(2 * j) % n}", first), (f"bp-n{(2 * j + 1) % n}", f"a{j}-1")],
            "port": 21000 + j if j % 5 == 0 else None,
        }
    return {"networks": nets, "containers": containers}


# --- checking the daemon ---------------------------------------------------------------------

def check(api, state, expect_containers=True):
    """Returns a list of differences between the daemon and `state` (None: nothing of ours left)."""
    problems = []
    live_nets = {n["Name"]: n for n in api.networks(names=["bp-n"]) if n["Name"].startswith("bp-n")}
    if state is None:
        if live_nets:
            problems.append(f"{len(live_nets)} bp-n networks left")
        return problems
    for name, want in state["networks"].items():
        net = live_nets.get(name)
        if net is None:
            problems.append(f"network {name} missing")
            continue
        subnets = [c.get("Subnet") for c in (net.get("IPAM") or {}).get("Config") or []]
        if want["subnet"] not in subnets:
            problems.append(f"network {name}: subnet {subnets} != {want['subnet']}")
        labels = net.get("Labels") or {}
        for k, v in want["labels"].items():
            if labels.get(k) != v:
                problems.append(f"network {name}: label {k}={labels.get(k)!r}, want {v!r}")
    if not expect_containers:
        return problems
    for name, want in state["containers"].items():
        try:
            c = api.inspect_container(name)
        except docker.errors.NotFound:
            problems.append(f"container {name} missing")
            continue
        endpoints = c["NetworkSettings"]["Networks"] or {}
        for net, alias in want["attach"]:
            ep = endpoints.get(net)
            if ep is None:
                problems.append(f"{name} not on {net}")
                continue
            aliases = ep.get("Aliases") or []
            if alias not in aliases:
                problems.append(f"{name} on {net}: alias {alias} missing ({aliases})")
            stale = [a for a in aliases if a.startswith(f"a{name[4:]}-") and a != alias]
            if stale:
                problems.append(f"{name} on {net}: stale aliases {stale}")
        bindings = (c["HostConfig"].get("PortBindings") or {}).get("80/tcp") or []
        got = [(b.get("HostIp"), b.get("HostPort")) for b in bindings]
        want_b = [("127.0.0.1", str(want["port"]))] if want["port"] else []
        if got != want_b:
            problems.append(f"{name}: port bindings {got} != {want_b}")
    return problems


# --- counting the daemon's API requests ----------------------------------------------------------

class Counter:
    def __init__(self, log):
        self.log = log

    def mark(self):
        return os.path.getsize(self.log)

    def since(self, mark):
        return self.split_since(mark)[0]

    def split_since(self, mark):
        """(requests, mutations): every request, and the POST/PUT/DELETE ones among them."""
        time.sleep(0.05)  # the daemon logs a request when it starts handling it
        calls = mutations = 0
        with open(self.log, "rb") as f:
            f.seek(mark)
            for line in f:
                if b'msg="Calling ' in line:
                    calls += 1
                    if b'msg="Calling GET' not in line and b'msg="Calling HEAD' not in line:
                        mutations += 1
        return calls, mutations


def run(cmd, cwd=None, env=None, check_rc=True, stdin=subprocess.DEVNULL):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if check_rc and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd) if isinstance(cmd, list) else cmd} exited {p.returncode}:\n{p.stdout[-3000:]}")
    return p


def docker_run_missing(api, state):
    """The user's tooling starts the containers stackwire attaches (stackwire never creates them)."""
    made = 0
    for name, want in state["containers"].items():
        try:
            api.inspect_container(name)
            continue
        except docker.errors.NotFound:
            pass
        cmd = ["docker", "run", "-d", "--name", name]
        if want["port"]:
            cmd += ["-p", f"127.0.0.1:{want['port']}:80"]
        run(cmd + [IMAGE])
        made += 1
    return made


def remove_containers(api):
    for c in api.containers(all=True, filters={"name": "bp-c"}):
        api.remove_container(c["Id"], force=True)


# --- the peers ---------------------------------------------------------------------------------

class Stackwire:
    name = "stackwire"

    def __init__(self, work, api):
        self.dir = os.path.join(work, "stackwire")
        os.makedirs(self.dir, exist_ok=True)
        self.api = api

    def write(self, state):
        lines = ["stack: bench", "networks:"]
        for name, n in state["networks"].items():
            lines += [f"  {name}:", f"    ipam: {{config: [{{subnet: {n['subnet']}}}]}}",
                      f"    labels: {{bench: \"{n['labels']['bench']}\"}}"]
        lines.append("containers:")
        for name, c in state["containers"].items():
            lines += [f"  {name}:", "    networks:"]
            for net, alias in c["attach"]:
                lines += [f"      {net}:", f"        aliases: [{alias}]"]
            if c["port"]:
                lines += [f"    ports: [\"127.0.0.1:{c['port']}:80\"]"]
        with open(os.path.join(self.dir, "bench.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def prepare(self, state):  # not timed as stackwire's own share
        return docker_run_missing(self.api, state)

    def apply(self, state):
        self.write(state)
        run([os.path.join(ROOT, "stackwire"), "apply", self.dir, "--auto-approve"])

    def teardown(self, state):
        run([os.path.join(ROOT, "stackwire"), "destroy", self.dir, "--auto-approve"])

    def after_teardown(self):
        remove_containers(self.api)

    @staticmethod
    def startup():
        return [os.path.join(ROOT, "stackwire"), "--version"]


class Compose:
    name = "docker-compose"

    def __init__(self, work, api):
        self.dir = os.path.join(work, "compose")
        os.makedirs(self.dir, exist_ok=True)
        self.api = api

    def write(self, state):
        lines = ["version: '3.7'", "networks:"]
        for name, n in state["networks"].items():
            lines += [f"  {name}:", f"    name: {name}", "    labels:", f"      bench: \"{n['labels']['bench']}\"",
                      "    ipam:", "      config:", f"        - subnet: {n['subnet']}"]
        lines.append("services:")
        for name, c in state["containers"].items():
            lines += [f"  {name}:", f"    image: {IMAGE}", f"    container_name: {name}", "    networks:"]
            for net, alias in c["attach"]:
                lines += [f"      {net}:", f"        aliases: [{alias}]"]
            if c["port"]:
                lines += [f"    ports: [\"127.0.0.1:{c['port']}:80\"]"]
        with open(os.path.join(self.dir, "docker-compose.yml"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def prepare(self, state):
        return 0

    def apply(self, state):
        self.write(state)
        run(["docker-compose", "-p", "bp", "up", "-d", "--remove-orphans"], cwd=self.dir)

    def teardown(self, state):
        run(["docker-compose", "-p", "bp", "down", "--remove-orphans"], cwd=self.dir)

    def after_teardown(self):
        remove_containers(self.api)

    @staticmethod
    def startup():
        return ["docker-compose", "version"]


class Ansible:
    name = "ansible community.docker"

    def __init__(self, work, api):
        self.dir = os.path.join(work, "ansible")
        os.makedirs(self.dir, exist_ok=True)
        self.api = api

    def write(self, state, present=True):
        nets = [{"name": k, "subnet": v["subnet"], "labels": v["labels"]} for k, v in state["networks"].items()]
        conts = [{"name": k, "networks": [{"name": n, "aliases": [a]} for n, a in v["attach"]],
                  "ports": [f"127.0.0.1:{v['port']}:80"] if v["port"] else []}
                 for k, v in state["containers"].items()]
        if present:
            play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
                {"name": "networks", "community.docker.docker_network": {
                    "name": "{{ item.name }}", "labels": "{{ item.labels }}",
                    "ipam_config": [{"subnet": "{{ item.subnet }}"}]}, "loop": nets},
                {"name": "containers", "community.docker.docker_container": {
                    "name": "{{ item.name }}", "image": IMAGE, "state": "started",
                    "networks": "{{ item.networks }}", "networks_cli_compatible": True,
                    "network_mode": "{{ item.networks[0].name }}", "purge_networks": True,
                    "published_ports": "{{ item.ports }}"}, "loop": conts}]}]
        else:
            play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
                {"name": "containers", "community.docker.docker_container": {
                    "name": "{{ item.name }}", "state": "absent", "force_kill": True}, "loop": conts},
                {"name": "networks", "community.docker.docker_network": {
                    "name": "{{ item.name }}", "state": "absent", "force": True}, "loop": nets}]}]
        path = os.path.join(self.dir, "play.yml")
        with open(path, "w") as f:
            json.dump(play, f)  # JSON is YAML
        return path

    def playbook(self, path):
        env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3", ANSIBLE_HOST_KEY_CHECKING="False",
                   ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
        run(["ansible-playbook", "-i", "localhost,", "-c", "local", path], cwd=self.dir, env=env)

    def prepare(self, state):
        return 0

    def apply(self, state):
        self.playbook(self.write(state))

    def teardown(self, state):
        self.playbook(self.write(state, present=False))

    def after_teardown(self):
        remove_containers(self.api)

    @staticmethod
    def startup():
        return ["ansible-playbook", "--version"]


class CliScript:
    """What a person writes without a reconciler: converge by re-doing every attachment."""
    name = "docker CLI script"

    def __init__(self, work, api):
        self.dir = os.path.join(work, "cli")
        os.makedirs(self.dir, exist_ok=True)
        self.api = api

    def write(self, state, present=True):
        lines = ["set -e"]
        if present:
            for name, n in state["networks"].items():
                lab = f"bench={n['labels']['bench']}"
                lines.append(
                    f"cur=$(docker network inspect -f '{{{{index .Labels \"bench\"}}}}' {name} 2>/dev/null) || cur=none\n"
                    f"if [ \"$cur\" != \"{n['labels']['bench']}\" ]; then\n"
                    f"  if [ \"$cur\" != none ]; then\n"
                    f"    for c in $(docker network inspect -f '{{{{range .Containers}}}}{{{{.Name}}}} {{{{end}}}}' {name}); do docker network disconnect -f {name} $c; done\n"
                    f"    docker network rm {name} >/dev/null\n"
                    f"  fi\n"
                    f"  docker network create --subnet {n['subnet']} --label {lab} {name} >/dev/null\n"
                    f"fi")
            for name, c in state["containers"].items():
                (n0, a0), (n1, a1) = c["attach"]
                port = f"-p 127.0.0.1:{c['port']}:80 " if c["port"] else ""
                lines.append(
                    f"if ! docker container inspect {name} >/dev/null 2>&1; then\n"
                    f"  docker run -d --name {name} {port}--network {n0} --network-alias {a0} {IMAGE} >/dev/null\n"
                    f"else\n"
                    f"  docker network disconnect -f {n0} {name} 2>/dev/null || true\n"
                    f"  docker network connect --alias {a0} {n0} {name}\n"
                    f"  docker network disconnect -f {n1} {name} 2>/dev/null || true\n"
                    f"fi\n"
                    f"docker network connect --alias {a1} {n1} {name}")
        else:
            lines.append("docker rm -f " + " ".join(state["containers"]) + " >/dev/null 2>&1 || true")
            lines.append("docker network rm " + " ".join(state["networks"]) + " >/dev/null")
        path = os.path.join(self.dir, "converge.sh")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def prepare(self, state):
        return 0

    def apply(self, state):
        run(["bash", self.write(state)])

    def teardown(self, state):
        run(["bash", self.write(state, present=False)])

    def after_teardown(self):
        remove_containers(self.api)

    @staticmethod
    def startup():
        return ["docker", "--version"]


class Floor:
    """The daemon's own limit: the fewest API requests that reach each state, from a raw HTTP client
    on the Unix socket, with 8 requests in flight (what this daemon rewards; more only queues).
    Reads: list networks, list containers, one inspect per container (aliases and port bindings are
    only in the inspect). Container creation is the user's tooling, as for stackwire."""
    name = "daemon floor (raw API)"
    PARALLEL = 8

    def __init__(self, work, api):
        self.api = api
        self.sock = urllib.parse.urlparse(os.environ["DOCKER_HOST"]).path

    def _conn(self):
        class C(http.client.HTTPConnection):
            def connect(s):
                s.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.sock.connect(self.sock)
        return C("localhost")

    def _call(self, conn, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, "/v1.41" + path, body=data, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        out = r.read()
        if r.status >= 400:
            raise RuntimeError(f"{method} {path}: {r.status} {out[:200]}")
        return json.loads(out) if out else None

    def _parallel(self, calls):
        if not calls:
            return []
        def worker(chunk):
            conn = self._conn()
            try:
                return [self._call(conn, *c) for c in chunk]
            finally:
                conn.close()
        chunks = [calls[i::self.PARALLEL] for i in range(self.PARALLEL)]
        with concurrent.futures.ThreadPoolExecutor(self.PARALLEL) as ex:
            return [r for rs in ex.map(worker, [c for c in chunks if c]) for r in rs]

    def _read(self):
        conn = self._conn()
        nets = {n["Name"]: n for n in self._call(conn, "GET", "/networks") if n["Name"].startswith("bp-n")}
        ids = [c["Id"] for c in self._call(conn, "GET", "/containers/json?all=1") if c["Names"][0].startswith("/bp-c")]
        conn.close()
        conts = {c["Name"][1:]: c for c in self._parallel([("GET", f"/containers/{i}/json") for i in ids])}
        return nets, conts

    def prepare(self, state):
        return docker_run_missing(self.api, state)

    def apply(self, state):
        nets, conts = self._read()
        recreate = [n for n, want in state["networks"].items()
                    if n in nets and (nets[n].get("Labels") or {}).get("bench") != want["labels"]["bench"]]
        # Endpoints of networks to re-create, and attachments whose aliases differ, come off first.
        off, on = [], []
        for cname, want in state["containers"].items():
            eps = conts[cname]["NetworkSettings"]["Networks"] or {}
            for net, alias in want["attach"]:
                ep = eps.get(net)
                if ep is not None and (net in recreate or alias not in (ep.get("Aliases") or [])):
                    off.append(("POST", f"/networks/{net}/disconnect", {"Container": cname, "Force": True}))
                    ep = None
                if ep is None:
                    on.append(("POST", f"/networks/{net}/connect",
                               {"Container": cname, "EndpointConfig": {"Aliases": [alias]}}))
        self._parallel(off)
        self._parallel([("DELETE", f"/networks/{n}") for n in recreate])
        self._parallel([("POST", "/networks/create",
                         {"Name": n, "Labels": want["labels"], "CheckDuplicate": True,
                          "IPAM": {"Config": [{"Subnet": want["subnet"]}]}})
                        for n, want in state["networks"].items() if n not in nets or n in recreate])
        self._parallel(on)

    def teardown(self, state):
        nets, conts = self._read()
        self._parallel([("POST", f"/networks/{net}/disconnect", {"Container": cname, "Force": True})
                        for cname, c in conts.items() for net in (c["NetworkSettings"]["Networks"] or {})
                        if net in nets])
        self._parallel([("DELETE", f"/networks/{n}") for n in nets])

    def after_teardown(self):
        remove_containers(self.api)

    @staticmethod
    def startup():
        return ["/usr/bin/python3", "-c", "import http.client, json, socket"]


PEERS = {"stackwire": Stackwire, "compose": Compose, "ansible": Ansible, "cli": CliScript, "floor": Floor}


def clean(api):
    remove_containers(api)
    for n in api.networks():
        if n["Name"].startswith("bp-n") or n["Name"].startswith("bp_"):
            api.remove_network(n["Id"])


def one_round(peer, n, api, counter, results):
    v1, v2 = desired(n, 1), desired(n, 2)
    for scenario, state, then in (("cold", v1, v1), ("no-op", v1, v1), ("change", v2, v2), ("teardown", None, None)):
        made = 0
        prep_calls = 0
        if state is not None:
            m = counter.mark()
            made = peer.prepare(state)
            prep_calls = counter.since(m)
        m = counter.mark()
        t0 = time.monotonic()
        if state is None:
            peer.teardown(v2)
        else:
            peer.apply(state)
        wall = time.monotonic() - t0
        calls, mutations = counter.split_since(m)
        problems = check(api, then)
        if state is None:
            peer.after_teardown()
        results.setdefault((n, peer.name, scenario), []).append(
            {"wall": wall, "calls": calls, "mutations": mutations, "prep_calls": prep_calls, "made": made,
             "problems": problems})
        flag = "ok" if not problems else f"{len(problems)} differences, e.g. {problems[0]}"
        print(f"  N={n} {peer.name:28} {scenario:9} {wall:7.2f} s {calls:5d} requests ({mutations} POST/PUT/DELETE)"
              + (f" (+{made} docker run, {prep_calls} requests)" if made else "") + f"  {flag}", flush=True)


def startup_time(cls, reps):
    times = []
    for _ in range(reps):
        t0 = time.monotonic()
        run(cls.startup())
        times.append(time.monotonic() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,200")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--peers", default="floor,stackwire,compose,cli,ansible")
    ap.add_argument("--daemon-log", required=True)
    ap.add_argument("--json", help="write the raw results here")
    a = ap.parse_args()
    api = docker.APIClient(base_url=os.environ["DOCKER_HOST"], version="1.41")
    counter = Counter(a.daemon_log)
    work = tempfile.mkdtemp(prefix="swbench-peers.")
    names = a.peers.split(",")
    results = {}
    clean(api)
    for n in [int(s) for s in a.sizes.split(",")]:
        for rep in range(a.reps):
            # Interleaved: each repetition runs every peer once, in a rotated order.
            order = names[rep % len(names):] + names[:rep % len(names)]
            print(f"N={n}, repetition {rep + 1}/{a.reps}: {', '.join(order)}", flush=True)
            for key in order:
                peer = PEERS[key](work, api)
                try:
                    one_round(peer, n, api, counter, results)
                finally:
                    clean(api)
    starts = {PEERS[k].name: startup_time(PEERS[k], 5) for k in names}
    report(results, starts, names)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"|".join(map(str, k)): v for k, v in results.items()}, f, indent=1)


def report(results, starts, names):
    sizes = sorted({k[0] for k in results})
    scen = ["cold", "no-op", "change", "teardown"]
    floor = PEERS["floor"].name
    for n in sizes:
        print(f"\nN={n}: median seconds (requests), whole process; ratio to the daemon floor in brackets")
        print("| peer | " + " | ".join(scen) + " | start-up |")
        print("|---|" + "---|" * (len(scen) + 1))
        for key in names:
            name = PEERS[key].name
            cells = []
            for s in scen:
                rs = results.get((n, name, s), [])
                if not rs:
                    cells.append("-")
                    continue
                wall = statistics.median(r["wall"] for r in rs)
                calls = statistics.median(r["calls"] for r in rs)
                cell = f"{wall:.2f} ({calls:.0f})"
                fl = results.get((n, floor, s))
                if fl and name != floor:
                    cell += f" [{wall / statistics.median(r['wall'] for r in fl):.2f}x]"
                bad = sum(1 for r in rs if r["problems"])
                if bad:
                    cell += f", wrong state {bad}/{len(rs)}: {rs[0]['problems'][0] if rs[0]['problems'] else ''}"
                cells.append(cell)
            print(f"| {name} | " + " | ".join(cells) + f" | {starts[name]:.2f} |")
        # A change should cost its mutations and a few reads: requests beyond the floor's own
        # mutations (the minimum for the scenario), per peer and scenario, medians.
        fl_mut = {s: statistics.median(r["mutations"] for r in results.get((n, floor, s), [{"mutations": 0}])) for s in scen}
        print(f"\nN={n}: requests beyond the scenario's mutations (the floor's POST/PUT/DELETE: "
              + ", ".join(f"{s} {fl_mut[s]:.0f}" for s in scen) + "), medians")
        print("| peer | " + " | ".join(scen) + " |")
        print("|---|" + "---|" * len(scen))
        for key in names:
            name = PEERS[key].name
            cells = []
            for s in scen:
                rs = results.get((n, name, s), [])
                cells.append("-" if not rs else f"{statistics.median(r['calls'] for r in rs) - fl_mut[s]:+.0f}")
            print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
