class LandingError(Exception):
    """A file that cannot be landed at all. The message names the file, the line
    where known, and what was expected; nothing already landed is touched."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class WarehouseWriteError(Exception):
    """The warehouse refused a write (disk full, read-only file system): the landing
    stops, the file's transaction is rolled back and what was landed before stays."""
