// A report being typed is saved as a draft 1.5 s after the last keystroke.
(function(){var f=document.getElementById('report-form');if(!f)return;var t=null,s=document.getElementById('autosave');
function save(){var d=new URLSearchParams(new FormData(f));d.set('action','autosave');
fetch(f.getAttribute('action'),{method:'POST',body:d,headers:{'x-autosave':'1'}}).then(function(r){s.textContent=r.ok?'Đã tự động lưu nháp lúc '+new Date().toLocaleTimeString('vi-VN'):'Chưa lưu được bản nháp, vui lòng bấm “Lưu nháp”.';});}
f.addEventListener('input',function(){clearTimeout(t);s.textContent='Đang soạn…';t=setTimeout(save,1500);});})();
