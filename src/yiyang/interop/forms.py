from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件", error_messages={"required": "请选择要导入的文件"},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}))
    dry_run = forms.BooleanField(label="先校验并预览，确认后再导入", required=False, initial=True)
