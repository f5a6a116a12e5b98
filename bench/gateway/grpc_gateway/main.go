// The gateway benchmark's REST peer: grpc-gateway (v1, as Debian packages it) serving
// membership.proto's google.api.http routes in front of the same membership process that
// metrocap's gateway calls. bench/gateway/run.sh generates membership.pb.go and
// membership.pb.gw.go from protos/ and builds this in GOPATH mode from Debian's Go packages.
// The Authorization header is passed through as gRPC metadata (grpc-gateway does that for it
// by default), so membership authenticates the caller exactly as on a direct call.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/grpc"

	membership "metrocap/membership/v1"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "HTTP address to serve")
	backend := flag.String("backend", "127.0.0.1:9090", "membership's gRPC address")
	flag.Parse()
	mux := runtime.NewServeMux()
	opts := []grpc.DialOption{grpc.WithInsecure()}
	err := membership.RegisterMembershipServiceHandlerFromEndpoint(
		context.Background(), mux, *backend, opts)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(*listen, mux))
}
