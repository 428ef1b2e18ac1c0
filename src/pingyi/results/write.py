"""Writing a results directory atomically: all of it, or none of it, and never someone
else's folder.

Files go to a fresh staging directory beside the target (each file fsynced), which then
takes the target's place. On Linux the two directories are swapped in one step
(``renameat2(RENAME_EXCHANGE)``), so the old results stay readable at every instant;
elsewhere two renames leave a moment without the folder. A run killed at any point
leaves either the old or the new results in place and at most a stale
``.NAME.new-PID-…`` / ``.NAME.old-PID-…`` folder beside it, which the next run removes
once its process is gone.

Only a directory pingyi wrote may be replaced: one whose manifest.json is pingyi's own
(its tool name and format), and which holds nothing but the files that manifest lists.
A folder with a user's own files in it is refused, never emptied.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from pingyi.errors import PingyiError, Problem
from pingyi.results.manifest import is_pingyi_manifest

_STAGING = re.compile(r"^\.(?P<name>.+)\.(?:new|old)-(?P<pid>\d+)-[^.]+$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_directory(target: Path, files: dict[str, bytes]) -> None:
    """Replace ``target`` with a directory holding exactly ``files``.

    The path is made absolute and normalised first (``nosuch/../mine`` is ``mine``): the
    checks must look at the folder the rename would replace."""
    target = Path(os.path.abspath(target))
    refuse_foreign(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    except OSError as error:
        raise _cannot_write(target, error) from error
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a results folder is not
        for name, data in files.items():
            _write_file(staging / name, data)
        _fsync_dir(staging)
        _swap(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _cannot_write(target, error) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write one file by a temporary file in its folder and a rename: a full disk or a
    kill leaves the old file (or none), never a truncated one."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _cannot_write(path, error) from error
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        _unlink(Path(temporary))
        raise _cannot_write(path, error) from error
    except BaseException:
        _unlink(Path(temporary))
        raise


def refuse_foreign(target: Path) -> None:
    """Raise unless ``target`` is absent, empty, or a results directory pingyi wrote and
    nobody has added files to."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise _refused(target, "exists and is not a directory; choose another -o")
    here = Path.cwd().resolve()
    if target.resolve() == here or target.resolve() in here.parents:
        raise _refused(target, "is the current folder or holds it; choose another -o")
    try:
        present = {p.name for p in target.iterdir()}
    except OSError as error:
        raise _cannot_write(target, error) from error
    if not present:
        return
    record = _manifest_of(target)
    if record is None:
        raise _refused(
            target,
            "exists, is not empty and is not a results directory pingyi wrote (no pingyi "
            "manifest.json): pingyi replaces only its own results; choose another -o",
        )
    listed = {item["path"] for item in record["outputs"] if isinstance(item, dict)} | {"manifest.json"}
    extra = sorted(present - listed)
    if extra:
        raise _refused(
            target,
            f"holds files pingyi did not write ({', '.join(extra[:5])}"
            f"{', …' if len(extra) > 5 else ''}); move them out, or choose another -o",
        )


def remove_stale(target: Path) -> list[Path]:
    """Remove the staging folders of earlier runs on ``target`` whose process is gone."""
    removed = []
    for path in target.parent.glob(f".{glob_escape(target.name)}.*-*-*"):
        match = _STAGING.match(path.name)
        if match and match["name"] == target.name and path.is_dir() and not _alive(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _manifest_of(target: Path) -> dict[str, Any] | None:
    import json

    try:
        record = json.loads((target / "manifest.json").read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return record if is_pingyi_manifest(record) else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        _fsync_dir(target.parent)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old results
        _fsync_dir(target.parent)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step where the OS can (Linux renameat2); False if not.

    renameat2 is looked up among the symbols the process already has (the C library is
    loaded in every Python on Linux): ``ctypes.util.find_library`` would run ldconfig in
    a subprocess, 5 ms of every tally that replaces its results."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this filesystem cannot swap
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _refused(target: Path, message: str) -> PingyiError:
    return PingyiError([Problem(str(target), None, "", "not_a_results_dir", message)])


def _cannot_write(target: Path, error: OSError) -> PingyiError:
    why = error.strerror or str(error)
    return PingyiError(
        [Problem(str(target), None, "", "write_failed", f"cannot write: {why}; nothing was changed")]
    )
