"""A hub user's Voila command (cpkit.hub.singleuser): cpkit's kernel manager, one
preheated kernel for the landing page, forked from the hub's zygote when there is one."""

from __future__ import annotations

import json

from cpkit import serve
from cpkit.hub import singleuser
from cpkit.serve_launch import ZYGOTE_ENV


def options(args: list[str]) -> dict[str, str]:
    return dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)


def test_cpkit_kernel_manager_culls_a_hub_users_left_pages(monkeypatch):
    monkeypatch.setenv(singleuser.LANDING_ENV, "voila/render/agency.ipynb")
    monkeypatch.delenv(ZYGOTE_ENV, raising=False)
    args = singleuser.voila_args("/srv/forms")
    found = options(args)
    assert found["VoilaConfiguration.multi_kernel_manager_class"] == \
        "cpkit.serve_kernels.CpkitKernelManager"
    assert found["CpkitKernelManager.landing"] == "agency.ipynb"
    assert int(found["MappingKernelManager.cull_idle_timeout"]) <= 60
    # a page's browser on a loaded hub connects late: its kernel waits longer for it
    grace = float(found["CpkitKernelManager.unconnected_grace"])
    assert grace == singleuser.HUB_UNCONNECTED_GRACE > serve.UNCONNECTED_GRACE
    pools = json.loads(found["VoilaKernelManager.kernel_pools_config"]
                       .replace("{{", "{").replace("}}", "}"))
    assert pools == {"agency.ipynb": {"pool_size": 1}, "default": {"pool_size": 0}}
    assert args[1:3] == ["-m", "cpkit.hub.voila"]
    assert found["CpkitVoila.unix_socket"] == "{unix_socket}"  # no TCP port to lose
    assert found["KernelManager.transport"] == "ipc"  # nor a kernel's


def test_voila_listens_in_the_users_own_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert singleuser.voila_socket() == str(tmp_path / "voila.sock")
    monkeypatch.setenv("HOME", "/srv/" + "x" * 120)  # too long for a socket's path
    assert singleuser.voila_socket() == "True"  # a private temporary folder


def test_voila_is_forked_from_the_hubs_zygote_when_there_is_one(monkeypatch):
    monkeypatch.setenv(ZYGOTE_ENV, "/srv/hub/zygote.sock")
    args = singleuser.voila_args("/srv/forms")
    assert args[1:5] == ["-m", "cpkit.serve_launch", "cpkit.hub.voila", "/srv/forms"]
