"""The API's human documentation, rendered on the server from its OpenAPI schema: no Swagger UI, no CDN."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from api.endpoints import api


def schema_type(schema: dict, components: dict) -> str:
    """A short human name for a JSON schema: `integer`, `date`, `one of a, b`, `Letter_`..."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(schema_type(option, components) for option in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {schema_type(schema.get('items', {}), components)}"
    return schema.get("format") or schema.get("type", "any")


@require_GET
def docs(request):
    schema = api.get_openapi_schema(path_prefix=reverse("api:api-root"))
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "type": schema_type(parameter.get("schema", {}), components),
                    "description": parameter.get("description") or parameter.get("schema", {}).get("description", ""),
                    "required": parameter.get("required", False),
                }
                for parameter in operation.get("parameters", [])
            ]
            ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "returns": schema_type(ok, components),
                    "anchor": operation.get("operationId", path),
                }
            )
    models = [
        {
            "name": name,
            "fields": [
                {"name": field, "type": schema_type(spec, components), "description": spec.get("description", "")}
                for field, spec in model.get("properties", {}).items()
            ],
        }
        for name, model in components.items()
        if not name.endswith("Query")
    ]
    context = {"info": schema["info"], "operations": operations, "models": models}
    return render(request, "api/docs.html", context)
