module jrtc.interop/pionlite

go 1.19
