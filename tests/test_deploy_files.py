"""The files under deploy/ agree with the documentation and the code: every scheduled command of
docs/deployment.md has a systemd timer running exactly that command line, the units parse, nginx serves no
private directory, and nginx accepts its configuration where it is installed."""

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from gunicorn.config import Config as GunicornConfig

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
NGINX_SITE = DEPLOY / "nginx" / "cms.conf"
NGINX_SNIPPET = DEPLOY / "nginx" / "cms-proxy.conf"
ENV_EXAMPLE = DEPLOY / "env.example"
TASK_TEMPLATE = SYSTEMD / "cms-task@.service"
# Where deploy/ puts the code: the WorkingDirectory of every unit, BASE_DIR in production.
SERVER_BASE_DIR = Path("/srv/portal")
TABLE_COMMAND = re.compile(r"`python manage\.py ([^`]+)`")


def read_unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def scheduled_commands():
    """{command: argv} from the table under "## Scheduled jobs" in docs/deployment.md."""
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    section = text.split("\n## Scheduled jobs\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    commands = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        found = TABLE_COMMAND.findall(cells[1])
        assert len(found) == 1, f"one command per row of the scheduled jobs table: {row}"
        argv = shlex.split(found[0])
        commands[argv[0]] = argv[1:]
    return commands


def timer_commands():
    """{command: argv} run by each cms-task@<command>.timer through the template and its arguments drop-in."""
    exec_start = read_unit(TASK_TEMPLATE)["Service"]["ExecStart"]
    commands = {}
    for timer in sorted(SYSTEMD.glob("cms-task@?*.timer")):
        name = timer.name.removeprefix("cms-task@").removesuffix(".timer")
        dropin = SYSTEMD / f"cms-task@{name}.service.d" / "arguments.conf"
        args = ""
        if dropin.exists():
            (assignment,) = read_unit(dropin)["Service"]["Environment"].strip('"').split("\n")
            key, args = assignment.split("=", 1)
            assert key == "CMS_TASK_ARGS"
        argv = shlex.split(exec_start.replace("%i", name).replace("$CMS_TASK_ARGS", args))
        assert argv[:3] == ["/srv/portal/.venv/bin/python", "manage.py", name]
        commands[name] = argv[3:]
    return commands


def env_example():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_every_scheduled_command_has_a_timer_running_that_command_line():
    documented, timed = scheduled_commands(), timer_commands()
    assert len(documented) >= 10
    assert sorted(set(documented) - set(timed)) == [], "scheduled in docs/deployment.md without a timer"
    assert sorted(set(timed) - set(documented)) == [], "a timer the scheduled jobs table does not list"
    assert timed == documented


def test_every_timed_command_exists_and_accepts_its_arguments():
    commands = get_commands()
    for name, args in timer_commands().items():
        assert name in commands, f"no management command {name}"
        command = load_command_class(commands[name], name)
        command.create_parser("manage.py", name).parse_args(args)


def test_units_parse_and_timers_start_their_own_command():
    units = sorted(path for path in SYSTEMD.rglob("*") if path.is_file())
    assert units
    for path in units:
        unit = read_unit(path)
        assert unit.sections(), path.name
        if path.suffix == ".timer":
            name = path.stem.removeprefix("cms-task@")
            assert unit["Timer"]["Unit"] == f"cms-task@{name}.service"
            assert unit["Timer"]["OnCalendar"]
            assert unit["Install"]["WantedBy"] == "timers.target"
    for name in ("cms-gunicorn.service", "cms-task@.service"):
        service = read_unit(SYSTEMD / name)["Service"]
        assert service["EnvironmentFile"] == "/etc/cms/env"
        assert service["WorkingDirectory"] == str(SERVER_BASE_DIR)
        assert service["User"] == "cms"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_timer_schedules_are_valid_calendar_expressions():
    calendars = [read_unit(path)["Timer"]["OnCalendar"] for path in SYSTEMD.glob("*.timer")]
    result = subprocess.run(["systemd-analyze", "calendar", *calendars], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit(tmp_path):
    # The programs must exist for systemd: the test's own virtualenv stands in for /srv/portal/.venv.
    for path in SYSTEMD.rglob("*"):
        if path.is_file():
            copy = tmp_path / path.relative_to(SYSTEMD)
            copy.parent.mkdir(exist_ok=True)
            text = path.read_text(encoding="utf-8").replace("/srv/portal/.venv/bin/", f"{Path(sys.executable).parent}/")
            copy.write_text(text, encoding="utf-8")
    units = [path.name for path in SYSTEMD.glob("*.*") if "@." not in path.name and path.is_file()]
    units += [path.name.replace(".timer", ".service") for path in SYSTEMD.glob("*.timer")]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(units)],
        cwd=tmp_path,
        env={**os.environ, "SYSTEMD_UNIT_PATH": f"{tmp_path}:"},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_gunicorn_preloads_the_application_on_the_socket_nginx_uses():
    # --preload: the application is imported once, before the fork (cms/wsgi.py).
    service = read_unit(SYSTEMD / "cms-gunicorn.service")["Service"]
    argv = shlex.split(service["ExecStart"].replace("${GUNICORN_WORKERS}", "3"))
    options = GunicornConfig().parser().parse_args(argv[1:])
    assert options.args == ["cms.wsgi"] and options.preload_app and options.workers == 3
    socket = read_unit(SYSTEMD / "cms-gunicorn.socket")["Socket"]
    assert f"server unix:{socket['ListenStream']} " in NGINX_SITE.read_text(encoding="utf-8")
    assert socket["SocketUser"] == "www-data" and socket["SocketMode"] == "0600"


# --- nginx ---

NGINX_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|#[^\n]*|[{};]|[^\s{};'\"#]+")


def nginx_served_directories(text):
    """{url prefix: directory} for every location nginx answers from the file system (root or alias)."""
    served, stack, words = {}, [], []
    for token in NGINX_TOKEN.findall(text):
        if token.startswith("#"):
            continue
        if token == "{":
            stack.append(words)
            words = []
        elif token == "}":
            stack.pop()
        elif token == ";":
            locations = [block[-1] for block in stack if block and block[0] == "location"]
            prefix = locations[-1] if locations else "/"
            if words[0] == "alias":
                served[prefix] = Path(words[1])
            elif words[0] == "root":
                served[prefix] = Path(words[1]) / prefix.lstrip("/")
            words = []
        else:
            words.append(token)
    return served


def test_nginx_serves_only_static_files_and_image_renditions():
    env = env_example()
    served = nginx_served_directories(NGINX_SITE.read_text(encoding="utf-8"))
    assert served == {
        "/static/": Path(env["STATIC_ROOT"]),
        "/media/images/": Path(env["MEDIA_ROOT"]) / "images",
    }


def production_settings(extra_env, tmp_path, script):
    """The JSON printed by ``script`` run after django.setup() with cms.settings.production and deploy/env.example."""
    env = {
        **{key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")},
        **env_example(),
        "SECRET_KEY": "deploy-test-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        **extra_env,
    }
    code = f"import django, json\ndjango.setup()\nfrom django.conf import settings\n{script}"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_private_root_lies_under_a_directory_nginx_serves(tmp_path):
    # Every file field's storage, uncollapsed: the letters' root lies inside the replies' root by default.
    roots = production_settings(
        {},
        tmp_path,
        "from cms.security.storage_roots import _candidates\n"
        "roots = {key: str(path) for key, path in _candidates() if path}\n"
        "roots.update(backups=str(settings.SECURITY_BACKUP_DIR), audit=str(settings.SECURITY_AUDIT_ARCHIVE_DIR),"
        " base=str(settings.BASE_DIR))\n"
        "print(json.dumps(roots))",
    )
    base = Path(roots.pop("base"))
    # Roots left at their defaults lie under the code's directory, which is /srv/portal on the server.
    on_server = {
        key: SERVER_BASE_DIR / Path(path).relative_to(base) if Path(path).is_relative_to(base) else Path(path)
        for key, path in roots.items()
    }
    media_root = on_server.pop("MEDIA_ROOT")
    assert media_root == Path(env_example()["MEDIA_ROOT"])
    # Uploads stored in MEDIA_ROOT itself are public or served by Django's views; any other root is private.
    private = {key: path for key, path in on_server.items() if path != media_root}
    for name, args in timer_commands().items():
        if "--output" in args:
            private[f"{name} --output"] = Path(args[args.index("--output") + 1])
    assert {
        SERVER_BASE_DIR / "var" / "private",
        SERVER_BASE_DIR / "var" / "private" / "letters",
        Path("/srv/backups"),
        Path("/srv/audit-archive"),
    } <= set(private.values())
    served = nginx_served_directories(NGINX_SITE.read_text(encoding="utf-8"))
    exposed = [
        (key, str(path), prefix)
        for key, path in private.items()
        for prefix, directory in served.items()
        if path.is_relative_to(directory)
    ]
    assert exposed == []


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_site_configuration(tmp_path):
    modules = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
    if not modules.exists():
        pytest.skip("the cache-purge module (libnginx-mod-http-cache-purge) is not installed")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed for a throw-away certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = (
        NGINX_SITE.read_text(encoding="utf-8")
        .replace("/etc/nginx/snippets/cms-proxy.conf", str(NGINX_SNIPPET))
        .replace("/var/cache/nginx/cms", str(tmp_path / "cache"))
        .replace("/etc/ssl/cms/fullchain.pem", str(cert))
        .replace("/etc/ssl/cms/privkey.pem", str(key))
    )
    (tmp_path / "cms.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"load_module {modules};\nevents {{}}\nhttp {{ include {tmp_path}/cms.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_env_example_points_purges_at_nginx_and_check_tamper_at_the_public_address(tmp_path):
    found = production_settings(
        {},
        tmp_path,
        "print(json.dumps({'purge': settings.WAGTAILFRONTENDCACHE['nginx']['LOCATION'],"
        " 'apps': settings.INSTALLED_APPS, 'tamper': settings.SECURITY_TAMPER_BASE_URL}))",
    )
    env = env_example()
    assert "wagtail.contrib.frontend_cache" in found["apps"]
    assert found["purge"] == env["FRONTEND_CACHE_PURGE_URL"]
    assert f"listen {found['purge'].removeprefix('http://')};" in NGINX_SITE.read_text(encoding="utf-8")
    assert found["tamper"] == env["WAGTAILADMIN_BASE_URL"]
