"""ctypes binding to libnativeres: the project's own studio upscale (forward
model) and descale, so training degrades frames with exactly the math the
shaders and the plugin use."""
import ctypes
import os

import numpy as np


class Kernel(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("b", ctypes.c_double), ("c", ctypes.c_double),
                ("taps", ctypes.c_int), ("blur", ctypes.c_double)]


class Scale(ctypes.Structure):
    _fields_ = [("kernel", Kernel), ("border", ctypes.c_int),
                ("full_w", ctypes.c_int), ("full_h", ctypes.c_int),
                ("native_w", ctypes.c_int), ("native_h", ctypes.c_int),
                ("win_left", ctypes.c_double), ("win_top", ctypes.c_double),
                ("win_width", ctypes.c_double), ("win_height", ctypes.c_double)]


class MaskOpts(ctypes.Structure):
    _fields_ = [("threshold", ctypes.c_double), ("grow", ctypes.c_double),
                ("feather", ctypes.c_double)]


class RescaleOpts(ctypes.Structure):
    _fields_ = [("preset", ctypes.c_int), ("mask", MaskOpts), ("tolerance", ctypes.c_double),
                ("hq_dpid", ctypes.c_bool), ("file_name", ctypes.c_char_p),
                ("generator", ctypes.c_char_p)]


_lib = None


def load(build_dir):
    """Loads build_dir/src/libnativeres.so (the meson build's shared library)."""
    global _lib
    path = os.path.join(build_dir, "src", "libnativeres.so")
    lib = ctypes.CDLL(path)
    lib.nr_kernel_parse.argtypes = [ctypes.c_char_p, ctypes.POINTER(Kernel)]
    lib.nr_kernel_parse.restype = ctypes.c_bool
    lib.nr_scale_validate.argtypes = [ctypes.POINTER(Scale), ctypes.c_char_p, ctypes.c_size_t]
    fp = ctypes.POINTER(ctypes.c_float)
    for fn in (lib.nr_upscale, lib.nr_descale):
        fn.argtypes = [ctypes.POINTER(Scale), fp, ctypes.c_ssize_t, fp, ctypes.c_ssize_t]
        fn.restype = ctypes.c_int
    lib.nr_rescale_preset_parse.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    lib.nr_rescale_preset_parse.restype = ctypes.c_bool
    lib.nr_rescale_opts_default.argtypes = [ctypes.POINTER(RescaleOpts)]
    lib.nr_rescale.argtypes = [ctypes.POINTER(Scale), ctypes.POINTER(RescaleOpts), fp,
                               ctypes.c_ssize_t, fp, ctypes.c_ssize_t, ctypes.c_int, ctypes.c_int]
    lib.nr_rescale.restype = ctypes.c_int
    _lib = lib
    return lib


def _scale(kernel, full_w, full_h, native_w, native_h):
    k = Kernel()
    if not _lib.nr_kernel_parse(kernel.encode(), ctypes.byref(k)):
        raise ValueError("unknown kernel " + kernel)
    s = Scale(kernel=k, border=0, full_w=full_w, full_h=full_h,
              native_w=native_w, native_h=native_h)
    err = ctypes.create_string_buffer(256)
    if _lib.nr_scale_validate(ctypes.byref(s), err, 256) < 0:
        raise ValueError(err.value.decode())
    return s


def _ptr(a):
    return a.ctypes.data_as(ctypes.POINTER(ctypes.c_float))


def upscale(plane, w, h, kernel):
    """Forward model: plane (native) -> w x h with the kernel (descale's convention)."""
    src = np.ascontiguousarray(plane, dtype=np.float32)
    s = _scale(kernel, w, h, src.shape[1], src.shape[0])
    dst = np.empty((h, w), np.float32)
    if _lib.nr_upscale(ctypes.byref(s), _ptr(src), src.shape[1], _ptr(dst), w) < 0:
        raise RuntimeError("nr_upscale failed")
    return dst


def descale(plane, w, h, kernel):
    """Least-squares inverse of upscale: plane (full) -> w x h."""
    src = np.ascontiguousarray(plane, dtype=np.float32)
    s = _scale(kernel, src.shape[1], src.shape[0], w, h)
    dst = np.empty((h, w), np.float32)
    if _lib.nr_descale(ctypes.byref(s), _ptr(src), src.shape[1], _ptr(dst), w) < 0:
        raise RuntimeError("nr_descale failed")
    return dst


def rescale(plane, w, h, kernel, preset, out_w=None, out_h=None):
    """The whole rescale chain (nr_rescale, the CPU reference of the shader):
    plane (full) with native size w x h -> out_w x out_h (default: the
    plane's size, i.e. a screen no larger than the source)."""
    src = np.ascontiguousarray(plane, dtype=np.float32)
    out_w, out_h = out_w or src.shape[1], out_h or src.shape[0]
    s = _scale(kernel, src.shape[1], src.shape[0], w, h)
    o = RescaleOpts()
    _lib.nr_rescale_opts_default(ctypes.byref(o))
    p = ctypes.c_int()
    if not _lib.nr_rescale_preset_parse(preset.encode(), ctypes.byref(p)):
        raise ValueError("unknown preset " + preset)
    o.preset = p.value
    dst = np.empty((out_h, out_w), np.float32)
    if _lib.nr_rescale(ctypes.byref(s), ctypes.byref(o), _ptr(src), src.shape[1], _ptr(dst),
                       out_w, out_w, out_h) < 0:
        raise RuntimeError("nr_rescale failed")
    return dst
