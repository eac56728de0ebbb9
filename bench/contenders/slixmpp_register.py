# slixmpp's XEP-0077 plug-in (Debian python3-slixmpp), driven like its examples/register_account.py:
#   mode "one":      one connection; in the 'register' event, every IQ-set is sent at once (or `window` at a time)
#   mode "per-user": one connection per account, one after another; disconnect right after the IQ-set's result
# Usage: python3 slixmpp_register.py '<job JSON>' ; prints one JSON line like the Node contenders.
import asyncio
import json
import logging
import resource
import sys
import time

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout

logging.basicConfig(level=getattr(logging, __import__("os").environ.get("SLIX_LOG", "CRITICAL")))
IQ_TIMEOUT = 600


def account(job, i):
    return f"{job['prefix']}{i}", f"pw-{i}-{job['prefix']}"


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_maxrss  # maxrss: KiB on Linux


def register_iq(xmpp, username, password):
    iq = xmpp.Iq()
    iq["type"] = "set"
    iq["register"]["username"] = username
    iq["register"]["password"] = password
    return iq


def new_client(jid, password):
    xmpp = slixmpp.ClientXMPP(jid, password)
    for plugin in ("xep_0030", "xep_0004", "xep_0066", "xep_0077"):
        xmpp.register_plugin(plugin)
    xmpp["xep_0077"].force_registration = True
    # slixmpp 1.8.3 queues every stanza until a session starts, so the plug-in's registration IQs would never
    # leave before a login that cannot succeed; its own test harness lifts the gate with this flag.
    xmpp._always_send_everything = True
    return xmpp


def connect(xmpp, job):
    xmpp.connect((job["host"], job["port"]), force_starttls=False, disable_starttls=True)


async def one_connection(job):
    """All IQ-sets on one stream, timed from the first send to the last reply (after connect and inquiry)."""
    xmpp = new_client(f"bench-driver@{job['domain']}", "unused")
    done = asyncio.get_running_loop().create_future()
    window = job.get("window") or job["n"]

    async def on_register(_form):
        t0, cpu0 = time.perf_counter(), usage()[0]
        counts = {"ok": 0, "failed": 0}
        gate = asyncio.Semaphore(window)

        async def one(i):
            async with gate:
                try:
                    await register_iq(xmpp, *account(job, i)).send(timeout=IQ_TIMEOUT)
                    counts["ok"] += 1
                except (IqError, IqTimeout):
                    counts["failed"] += 1

        await asyncio.gather(*(one(i) for i in range(job["n"])))
        done.set_result((time.perf_counter() - t0, usage()[0] - cpu0, counts))
        xmpp.disconnect()

    xmpp.add_event_handler("register", on_register)
    connect(xmpp, job)
    seconds, cpu, counts = await asyncio.wait_for(done, job["deadlineMs"] / 1000)
    return seconds, cpu, counts, f"window {window}"


async def register_one(job, i):
    username, password = account(job, i)
    xmpp = new_client(f"{username}@{job['domain']}", password)
    result = asyncio.get_running_loop().create_future()

    async def on_register(_form):
        try:
            await register_iq(xmpp, username, password).send(timeout=IQ_TIMEOUT)
            result.set_result(True)
        except (IqError, IqTimeout) as err:
            result.set_result(type(err).__name__)
        xmpp.disconnect()

    xmpp.add_event_handler("register", on_register)
    connect(xmpp, job)
    outcome = await asyncio.wait_for(result, 30)
    await xmpp.disconnected
    return outcome


async def per_user(job):
    stop_at = time.monotonic() + job["deadlineMs"] / 1000 * 0.9
    t0, cpu0 = time.perf_counter(), usage()[0]
    counts = {"ok": 0, "failed": 0}
    first_error = None
    for i in range(job["n"]):
        if time.monotonic() > stop_at:
            break
        try:
            outcome = await register_one(job, i)
        except Exception as err:  # a timeout or a dropped connection: count it, go on
            outcome = type(err).__name__
        if outcome is True:
            counts["ok"] += 1
        else:
            counts["failed"] += 1
            first_error = first_error or outcome
    unreached = job["n"] - counts["ok"] - counts["failed"]
    counts["failed"] += unreached
    notes = [n for n in (first_error and f"first error {first_error}", unreached and f"deadline: {unreached} not tried") if n]
    return time.perf_counter() - t0, usage()[0] - cpu0, counts, "; ".join(notes)


def main():
    job = json.loads(sys.argv[1])
    rss_before = usage()[1]
    run = one_connection if job.get("mode") == "one" else per_user
    seconds, cpu, counts, note = asyncio.run(run(job))
    out = {
        "users": job["n"],
        "ok": counts["ok"],
        "failed": counts["failed"],
        "seconds": seconds,
        "cpuSeconds": cpu,
        "maxRssKb": usage()[1],
        "rssBeforeKb": rss_before,
    }
    if note:
        out["note"] = note
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
