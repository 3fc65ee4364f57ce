"""The OpenAPI document comes from the route table the handlers are registered from."""

from __future__ import annotations

import re


async def test_openapi_lists_every_registered_route(shim):
    doc = await (await shim.client.get("/api/v1/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    registered = {(r.method.lower(), r.resource.canonical) for r in shim.app.router.routes()
                  if r.method not in ("HEAD", "OPTIONS")}
    documented = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    assert registered == documented
    assert ("post", "/api/v1/chat") in documented and ("get", "/api/v1/bookings/{code}") in documented


async def test_openapi_operations_are_complete(shim):
    doc = await (await shim.client.get("/api/v1/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    ids = set()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ids.add(op["operationId"])
            names = {p["name"] for p in op.get("parameters", ()) if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), path
            assert op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
            for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(op).replace("'", '"')):
                assert ref in schemas
            staff = path.startswith("/api/v1/") and not path.startswith(("/api/v1/chat", "/api/v1/openapi"))
            assert ("security" in op) == staff, path
    assert len(ids) == sum(len(ops) for ops in doc["paths"].values())  # unique operation ids
