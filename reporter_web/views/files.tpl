% # The files a report or message came with, and what was removed from each (included by thanks, code, conversation).
% if files:
<ul class="files">
% for f in files:
<li><span class="file-name">{{f['name']}}</span> <span class="meta">({{f['kind']}}, {{f['size']}})</span>
% if f['removed']:
<p class="removed">{{_("We removed:")}}</p>
<ul class="removed">
% for item in f['removed']:
<li>{{item}}</li>
% end
</ul>
% else:
<p class="removed">{{_("We found nothing in it that could identify you, so nothing was removed.")}}</p>
% end
</li>
% end
</ul>
% end
