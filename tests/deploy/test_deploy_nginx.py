"""deploy/nginx/citybot.conf and actions.conf are configurations nginx accepts (`nginx -t`, Debian's
nginx, which .ci/run installs), each alone as compose runs it, with the container names of
deploy/compose.yml pointed at this machine (there is no container DNS here)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from deploy.files import DEPLOY

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
#: Each file and the compose services its upstreams name.
SITES = {"citybot.conf": ("rasa", "page"), "actions.conf": ("actions",)}


@pytest.mark.parametrize("site", sorted(SITES))
def test_nginx_accepts_the_configuration(tmp_path, site):
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx-light")
        pytest.skip("nginx is not installed: apt-get install nginx-light (CI has it)")
    local = (DEPLOY / "nginx" / site).read_text(encoding="utf-8")
    for service in SITES[site]:
        assert f"server {service}:" in local, service
        local = local.replace(f"server {service}:", "server 127.0.0.1:")
    (tmp_path / "site.conf").write_text(local, encoding="utf-8")
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    main = f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {tmp_path}/site.conf;
}}
"""
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
