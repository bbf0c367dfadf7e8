"""/proc readers shared by footprint.py and its side tools (footprint-sampler.py, footprint-idle-profile.py)."""


import os


def read(path):
    """The file's text, or "" if it is gone (a process that ended between listing and reading)."""
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def cmdline(pid):
    return read("/proc/%d/cmdline" % pid).replace("\0", " ").strip()


def stat_fields(pid):
    s = read("/proc/%d/stat" % pid)
    if not s:
        return None
    return s[s.rfind(")") + 2:].split()  # fields from index 2 (state) on


def stat(path):
    """(name, ppid, utime+stime ticks, start time) from a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat file."""
    s = read(path)
    if not s:
        return None
    f = s[s.rfind(")") + 2:].split()
    return s[s.index("(") + 1:s.rindex(")")], int(f[1]), int(f[11]) + int(f[12]), int(f[19])


def processes():
    """stat() of every process, by pid."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = stat("/proc/%s/stat" % name)
            if st:
                out[int(name)] = st
    return out
