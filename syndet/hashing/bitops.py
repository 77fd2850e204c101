"""Integer operations the compiled kernels need and numba does not emit by itself.

numba widens every integer operation to 64 bits, which halves the lanes a vector instruction holds
and keeps LLVM from using 32-bit multiplies. The ``*32`` intrinsics emit the 32-bit instruction
itself (``mul i32``, ``llvm.fshl.i32``...), so the kernels' xxh32 and MinHash arithmetic stays 32
bits wide and vectorises 16 lanes to an AVX-512 register (8 with AVX2). Each takes two ``uint32``
values and returns a ``uint32``; any other argument type is a typing error at compile time.
``ctz64`` counts the trailing zero bits of a ``uint64`` (one instruction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_U32 = types.uint32
_I32 = ir.IntType(32)


def _declare(typer: Callable[..., Any]) -> Any:
    return intrinsic(typer)


def _binary(emit: Callable[[Any, Any, Any], Any]) -> Any:
    def typer(typingctx: Any, x: Any, y: Any) -> Any:
        if x != _U32 or y != _U32:
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return emit(builder, args[0], args[1])

        return _U32(_U32, _U32), codegen

    return _declare(typer)


def _rotl(builder: Any, x: Any, r: Any) -> Any:
    fshl = builder.module.declare_intrinsic("llvm.fshl", [_I32], ir.FunctionType(_I32, [_I32, _I32, _I32]))
    return builder.call(fshl, [x, x, r])


Op32 = Callable[[np.uint32, np.uint32], np.uint32]

add32: Op32 = _binary(lambda b, x, y: b.add(x, y))
sub32: Op32 = _binary(lambda b, x, y: b.sub(x, y))
mul32: Op32 = _binary(lambda b, x, y: b.mul(x, y))
xor32: Op32 = _binary(lambda b, x, y: b.xor(x, y))
and32: Op32 = _binary(lambda b, x, y: b.and_(x, y))
shr32: Op32 = _binary(lambda b, x, y: b.lshr(x, y))  # logical shift right by ``y``
min32: Op32 = _binary(lambda b, x, y: b.select(b.icmp_unsigned("<", x, y), x, y))  # unsigned minimum
rotl32: Op32 = _binary(_rotl)  # rotate left by ``y``


def _ctz64_typer(typingctx: Any, x: Any) -> Any:
    if x != types.uint64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        i64 = ir.IntType(64)
        cttz = builder.module.declare_intrinsic("llvm.cttz", [i64], ir.FunctionType(i64, [i64, ir.IntType(1)]))
        return builder.call(cttz, [args[0], ir.Constant(ir.IntType(1), 0)])

    return types.uint64(types.uint64), codegen


ctz64: Callable[[np.uint64], np.uint64] = _declare(_ctz64_typer)  # 64 for zero
