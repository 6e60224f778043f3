"""Add / Edit form for CRM integration templates (the guide's "Add a CRM Integration Template")."""
