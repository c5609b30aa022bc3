"""Running the embedded server: gunicorn for the web tier and the Huey worker, side by side.

Shared by `yiyang serve` and `yiyang demo`. Both children start in their own process group,
so a Ctrl-C in the terminal (or a SIGTERM from a supervisor) reaches only this parent, which
forwards it once as each child's own graceful-stop signal (a second one kills them); when
either child exits, the other is stopped too, so the pair never runs half-alive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.core.management import call_command

STOP_TIMEOUT = 20.0  # seconds a child gets to stop gracefully before it is killed
POLL_INTERVAL = 0.25


@dataclass(frozen=True)
class Service:
    name: str
    argv: list[str]
    # The signal that asks this program to stop gracefully: gunicorn drains on SIGTERM,
    # the Huey consumer finishes running tasks on SIGINT (SIGTERM stops it at once).
    stop_signal: int = signal.SIGTERM


def server_env(*, demo: bool = False, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["DJANGO_SETTINGS_MODULE"] = "yiyang.settings"
    env.setdefault("PYTHONUNBUFFERED", "1")
    if demo:
        env["YIYANG_DEMO_MODE"] = "1"
    else:
        env.pop("YIYANG_DEMO_MODE", None)
    return env


def server_services(*, host: str, port: int, workers: int) -> list[Service]:
    return [
        Service(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yiyang.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                # One control socket per data dir and port, not a shared one under ~/.gunicorn.
                "--control-socket",
                str(Path(settings.DATA_DIR) / f"gunicorn-{port}.ctl"),
            ],
            stop_signal=signal.SIGTERM,
        ),
        Service("huey", [sys.executable, "-m", "django", "run_huey"], stop_signal=signal.SIGINT),
    ]


def run_services(
    services: list[Service], env: dict[str, str], log: Callable[[str], None] = print
) -> int:
    """Start every service, wait until one exits or we are signalled, then stop the rest.

    Returns 0 after a requested stop (SIGINT/SIGTERM), else the exit code of the child that
    ended first (1 if it ended "successfully" on its own, which a server should not do).
    """
    received: list[int] = []
    procs: list[tuple[Service, subprocess.Popen[bytes]]] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # First SIGINT/SIGTERM: ask every child to stop gracefully; a second one kills them.
        if received:
            log("立即结束服务进程")
        else:
            log("正在停止服务…")
        received.append(signum)
        for service, proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL if len(received) > 1 else service.stop_signal)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    first_exit: tuple[Service, int] | None = None
    try:
        for service in services:
            if received:
                break
            # A new process group: the terminal's Ctrl-C reaches only us; we forward it once.
            proc = subprocess.Popen(service.argv, env=env, process_group=0)  # noqa: S603
            procs.append((service, proc))
        while not received and first_exit is None:
            for service, proc in procs:
                code = proc.poll()
                if code is not None:
                    first_exit = (service, code)
                    break
            else:
                time.sleep(POLL_INTERVAL)
        if first_exit is not None and not received:
            service, code = first_exit
            log(f"{service.name} 已退出（退出码 {code}），正在停止其余服务…")
            for other, proc in procs:
                if proc.poll() is None:
                    proc.send_signal(other.stop_signal)
        _wait_all(procs, log)
    finally:
        for _, proc in procs:  # never leave a child behind, whatever happened above
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 0
    assert first_exit is not None
    return first_exit[1] or 1


def _wait_all(
    procs: list[tuple[Service, subprocess.Popen[bytes]]], log: Callable[[str], None]
) -> None:
    deadline = time.monotonic() + STOP_TIMEOUT
    for service, proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{service.name} 未能在 {STOP_TIMEOUT:.0f} 秒内停止，强制结束")
            proc.kill()
            proc.wait()


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    demo: bool = False,
    log: Callable[[str], None] = print,
) -> int:
    """Collect static files, then run gunicorn and the Huey worker until stopped."""
    log("正在整理静态文件…")
    call_command("collectstatic", interactive=False, verbosity=0)
    mode = "（演示模式：演示账号可登录）" if demo else ""
    log(f"正在启动网页服务 http://{host}:{port}/ 与后台任务进程{mode}，按 Ctrl-C 停止")
    return run_services(
        server_services(host=host, port=port, workers=workers), server_env(demo=demo), log
    )
