// Symbol visibility for the deter library. The library is built with
// -fvisibility=hidden; only declarations marked DETER_EXPORT are exported.
#ifndef DETER_EXPORT_H_
#define DETER_EXPORT_H_

#if defined(DETER_STATIC_DEFINE)
#define DETER_EXPORT
#elif defined(_WIN32)
#ifdef DETER_BUILDING
#define DETER_EXPORT __declspec(dllexport)
#else
#define DETER_EXPORT __declspec(dllimport)
#endif
#else
#define DETER_EXPORT __attribute__((visibility("default")))
#endif

#endif  // DETER_EXPORT_H_
