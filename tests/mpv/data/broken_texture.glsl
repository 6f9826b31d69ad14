//!HOOK LUMA
//!BIND HOOKED
//!BIND NR_TEST_TABLE
//!DESC nativeres test: TEXTURE data shorter than its SIZE
//!WIDTH 1280
//!HEIGHT 720
vec4 hook()
{
    return HOOKED_tex(HOOKED_pos) * texelFetch(NR_TEST_TABLE, ivec2(1, 0), 0).x;
}

//!TEXTURE NR_TEST_TABLE
//!SIZE 2 1
//!FORMAT r32f
//!FILTER NEAREST
0000803f
