"""One function per question, called by every surface: the CLI verb, the MCP tool and
the Python API.

Each module here answers for one domain with typed results, and builds the JSON
payload (a ``TypedDict``) that ``--json``, MCP's structured content and the web view
all return. A verb module only parses flags and renders; an MCP tool only validates
arguments; neither decides anything itself. The api layer may import the domains,
the edges and the seam; only surfaces import it.

truth        verify
admission    arbitrate, lease-lane, halt          vocabulary  refuse, man
locks        lease (mutex), id-alloc              scope       scope-gate
temporal     liveness, status, trace              pacing      productivity, efficiency,
supervision  watch, loop                                      breaker, cooldown
run_ids      run-id
export       export                               notify      notify
gates        test-witness, improve, reward        gates_classify  exec-capability,
guard        guard (the launch plan)                  hook-exit, arg-provenance, answer-shape
"""
