% rebase('base.tpl')
<h1>{{title}}</h1>
<p>{{message}}</p>
<p><a href="{{back[0]}}">{{back[1]}}</a></p>
