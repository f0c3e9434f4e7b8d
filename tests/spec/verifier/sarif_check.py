# SPDX-License-Identifier: MIT
# Validates sipverify's SARIF logs against sarif-2.1.0-subset.schema.json
# with the schema's formats checked (uri, uri-reference: python3-rfc3987),
# and checks what the schema cannot say: ruleIndex names the rule whose id
# is the ruleId, and informationUri is an absolute URI on no reserved
# host (RFC 2606: .invalid, .example, .test, localhost).
# Usage: sarif_check.py SCHEMA LOG...
import json
import sys
import urllib.parse

import jsonschema

schema = json.load(open(sys.argv[1]))
checker = jsonschema.FormatChecker()
if "uri" not in checker.checkers or "uri-reference" not in checker.checkers:
    sys.exit("sarif_check: the uri formats cannot be checked (install python3-rfc3987)")
validator = jsonschema.Draft7Validator(schema, format_checker=checker)
failed = 0
for path in sys.argv[2:]:
    log = json.load(open(path))
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(log)]
    for run in log.get("runs", []):
        driver = run["tool"]["driver"]
        rules = driver.get("rules", [])
        for r in run.get("results", []):
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                errors.append(f"result {r['ruleId']}: ruleIndex names {rules[r['ruleIndex']]['id']}")
        uri = urllib.parse.urlsplit(driver.get("informationUri", ""))
        host = uri.hostname or ""
        if not uri.scheme or host.split(".")[-1] in ("invalid", "example", "test", "localhost"):
            errors.append(f"informationUri {driver.get('informationUri')!r} is not usable")
    for e in errors:
        print(f"FAIL {path}: {e}")
    failed += bool(errors)
    if not errors:
        print(f"ok   {path}")
sys.exit(1 if failed else 0)
