"""Start (or join) the Spark session the engine runs in."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syndet.errors import EngineError

_DEFAULTS = {
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "2000",
    "spark.python.worker.reuse": "true",
}


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """The active Spark session, or a new one.

    ``master`` wins over ``spark.master`` from ``spark-submit`` or ``SPARK_*`` settings; without
    either, ``SPARK_MASTER``, else Spark runs on this machine on every core (``local[*]``). ``conf``
    adds Spark settings (``key=value`` from ``--spark-conf``). On a local master the workers run
    this Python unless ``PYSPARK_PYTHON`` says otherwise; on a cluster, ``PYSPARK_PYTHON`` names the
    executors' Python.

    Raises:
        EngineError: pyspark is not installed, or Java is missing or cannot start.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the Spark engine needs pyspark: pip install 'syndet[spark]'") from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError("the Spark engine needs Java 17 or newer (run scripts/services/java.sh, or set JAVA_HOME)")
    builder = SparkSession.builder.appName("syndet")
    settings = dict(_DEFAULTS)
    chosen = master or (conf or {}).get("spark.master")
    if not chosen and not os.environ.get("PYSPARK_SUBMIT_ARGS") and not os.environ.get("PYSPARK_GATEWAY_PORT"):
        chosen = os.environ.get("SPARK_MASTER", "local[*]")
    if chosen:
        builder = builder.master(chosen)
    if chosen and chosen.startswith("local"):  # workers on this machine run this Python
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        # On a local master every task runs in the driver's JVM: give it a quarter of the machine
        # (Spark's own default is 1 GB), and let the gathered report be as large as it is.
        settings.setdefault("spark.driver.memory", f"{max(1, _memory_gb() // 4)}g")
        settings.setdefault("spark.driver.maxResultSize", "0")
    if "SPARK_CONF_DIR" not in os.environ:  # Spark's start-up chatter, unless the user set up logging
        logging = Path(__file__).resolve().parent.parent.parent / "data" / "log4j2.properties"
        settings["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile=file:{logging}"
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j / pyspark raise their own families when the JVM cannot start
        raise EngineError(f"Spark could not start: {str(exc).splitlines()[0][:200]}") from None
    spark.sparkContext.setLogLevel(os.environ.get("SYNDET_SPARK_LOG", "ERROR"))
    # Four parts per core, for shuffles and for the files read, so that the last part of a stage
    # is short: Spark cuts files into 128 MB parts otherwise, and a 330 MB file in three parts
    # on two cores leaves one core idle for a third of every stage that works on the articles.
    # A value given with --spark-conf, spark-submit's --conf or spark-defaults.conf is kept.
    parts = str(max(4, 4 * spark.sparkContext.defaultParallelism))
    given = spark.sparkContext.getConf()
    for key in ("spark.sql.shuffle.partitions", "spark.sql.files.minPartitionNum"):
        if key not in (conf or {}) and not given.contains(key):
            spark.conf.set(key, parts)
    return spark


def _memory_gb() -> int:
    """This machine's memory in whole gigabytes (4 when it cannot be read)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30)
    except (ValueError, OSError, AttributeError):
        return 4


def cause_line(exc: BaseException) -> str:
    """The first line of the cause Spark reports for ``exc`` (py4j wraps it in lines of its own)."""
    text = str(exc)
    for marker in ("Caused by: ", "Exception: ", "Error: "):
        if marker in text:
            text = text.split(marker, 1)[1]
            break
    return text.strip().splitlines()[0][:300] if text.strip() else type(exc).__name__


def job_error(exc: BaseException) -> EngineError:
    """A failed Spark job as one line."""
    return EngineError(f"a Spark job failed: {cause_line(exc)}")
