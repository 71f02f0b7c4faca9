"""How rules describe their fixes: edits on nodes (builder.py), imports added once (imports.py),
calls given an argument, functions renamed, a backref's other side, a route's `response_model=`,
and the edits the project phase writes into other files from their facts (deferred.py). Applying
fixes is the business of fixing.py and writing.py, beside the runner, which is above the engine
this package serves."""
