//!HOOK LUMA
//!BIND HOOKED
//!DESC nativeres test: GLSL error (undeclared identifier)
//!WIDTH 1280
//!HEIGHT 720
vec4 hook()
{
    return HOOKED_tex(HOOKED_pos) + undeclared_identifier;
}
