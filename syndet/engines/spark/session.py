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
    either, Spark runs in this process on every core (``local[*]``). ``conf`` adds Spark settings
    (``key=value`` from ``--spark-conf``). Workers run this Python unless ``PYSPARK_PYTHON`` says
    otherwise.

    Raises:
        EngineError: pyspark is not installed, or Java is missing or cannot start.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("the Spark engine needs pyspark: pip install 'syndet[spark]'") from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError("the Spark engine needs Java 17 or newer (run scripts/services/java.sh, or set JAVA_HOME)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("syndet")
    if master:
        builder = builder.master(master)
    elif "spark.master" not in (conf or {}) and not os.environ.get("PYSPARK_SUBMIT_ARGS"):
        builder = builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    settings = dict(_DEFAULTS)
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
    if conf is None or "spark.sql.shuffle.partitions" not in conf:
        cores = spark.sparkContext.defaultParallelism
        spark.conf.set("spark.sql.shuffle.partitions", str(max(4, 4 * cores)))
    return spark
