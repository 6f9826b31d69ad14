//!PARAM strength
//!TYPE float
0.5

//!HOOK LUMA
//!BIND HOOKED
//!DESC nativeres test: //!PARAM (unsupported by mpv 0.35)
//!WIDTH 1280
//!HEIGHT 720
vec4 hook()
{
    return HOOKED_tex(HOOKED_pos) * strength;
}
