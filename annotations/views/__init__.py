"""The pages, one module per audience: review (reviewers), credibility (editors' score pages),
exports (downloads, for editors and machines) and audit (editors' history of flags).

Each view reads: access decorator, object, form, model method, response.
"""
